"""
Input Prompt: Write functions to hash and check user passwords for a small web app.
Intention: Store passwords so that the plain text is never saved.
Functionality: Derives a salted hash with PBKDF2-HMAC-SHA256 and compares in constant time when
checking.
"""
import hashlib
import hmac
import os

ITERATIONS = 600_000


def hash_password(password):
    """Return the stored form of a password: salt and derived key, hex encoded."""
    salt = os.urandom(16)
    key = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, ITERATIONS)
    return salt.hex() + ":" + key.hex()


def check_password(password, stored):
    """True when the password matches the stored hash."""
    salt_hex, key_hex = stored.split(":")
    key = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), bytes.fromhex(salt_hex), ITERATIONS)
    return hmac.compare_digest(key.hex(), key_hex)
