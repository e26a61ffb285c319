"""
Input Prompt: Use argon2 to hash and verify user passwords, rehashing when parameters change.
Intention: Password storage for a Django-free API service.
Functionality: Wraps argon2.PasswordHasher: hash_password returns the encoded hash, verify_password
returns True/False and the new hash when the stored one uses outdated parameters.
"""
from argon2 import PasswordHasher
from argon2.exceptions import VerifyMismatchError

hasher = PasswordHasher()


def hash_password(password):
    return hasher.hash(password)


def verify_password(stored_hash, password):
    """(ok, new_hash or None)."""
    try:
        hasher.verify(stored_hash, password)
    except VerifyMismatchError:
        return False, None
    if hasher.check_needs_rehash(stored_hash):
        return True, hasher.hash(password)
    return True, None
