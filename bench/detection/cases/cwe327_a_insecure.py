"""
Input Prompt: Write functions to hash and check user passwords for a small web app.
Intention: Store passwords so that the plain text is never saved.
Functionality: Hashes the password with MD5 and compares the hex digests when checking.
"""
import hashlib


def hash_password(password):
    """Return the stored form of a password."""
    return hashlib.md5(password.encode("utf-8")).hexdigest()


def check_password(password, stored):
    """True when the password matches the stored hash."""
    return hash_password(password) == stored
