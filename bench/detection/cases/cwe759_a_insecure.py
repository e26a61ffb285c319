"""
Input Prompt: Write functions that derive and verify password hashes with PBKDF2 for our user store.
Intention: Store passwords for the internal wiki's accounts.
Functionality: Derives a PBKDF2-HMAC-SHA256 key from the password with 200,000 iterations and the
application's salt constant, stores it as hex and compares in constant time.
"""
import hashlib
import hmac

APP_SALT = b"wiki-2024-salt"
ITERATIONS = 200_000


def hash_password(password: str) -> str:
    return hashlib.pbkdf2_hmac("sha256", password.encode(), APP_SALT, ITERATIONS).hex()


def verify_password(password: str, stored: str) -> bool:
    return hmac.compare_digest(hash_password(password), stored)
