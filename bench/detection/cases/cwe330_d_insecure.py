"""
Input Prompt: Write a function that creates a password-reset link for a user.
Intention: Email users a one-time link to reset a forgotten password.
Functionality: Generates a 32-character random token, stores it with an expiry time for the user
and returns the reset URL that contains the token.
"""
import random
import string
import time

RESET_TOKENS: dict[str, tuple[str, float]] = {}
TOKEN_TTL_SECONDS = 30 * 60


def _new_token(length: int = 32) -> str:
    alphabet = string.ascii_letters + string.digits
    return "".join(random.choices(alphabet, k=length))


def create_reset_link(user_email: str, base_url: str = "https://app.example.com") -> str:
    token = _new_token()
    RESET_TOKENS[token] = (user_email, time.time() + TOKEN_TTL_SECONDS)
    return f"{base_url}/reset-password?token={token}"
