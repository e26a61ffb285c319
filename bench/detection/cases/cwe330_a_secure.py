"""
Input Prompt: Write a function that generates a password reset token for a user.
Intention: E-mail users a link that lets them reset their password.
Functionality: Builds a 32-character token from letters and digits picked with secrets.choice.
"""
import secrets
import string

ALPHABET = string.ascii_letters + string.digits


def reset_token(length=32):
    """Return a new password reset token."""
    return "".join(secrets.choice(ALPHABET) for _ in range(length))
