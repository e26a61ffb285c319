"""
Input Prompt: Write functions that derive and verify password hashes with PBKDF2 for our user store.
Intention: Store passwords for the internal wiki's accounts.
Functionality: Derives a PBKDF2-HMAC-SHA256 key from the password with 200,000 iterations and a
random 16-byte salt per password, stores "salt$hash" in hex and compares in constant time.
"""
import hashlib
import hmac
import os

ITERATIONS = 200_000


def hash_password(password: str) -> str:
    salt = os.urandom(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, ITERATIONS)
    return f"{salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    salt_hex, digest_hex = stored.split("$", 1)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), bytes.fromhex(salt_hex), ITERATIONS)
    return hmac.compare_digest(digest.hex(), digest_hex)
