"""
Input Prompt: Write helpers that encrypt and decrypt short secrets with Fernet.
Intention: Store third-party API tokens encrypted in the database.
Functionality: Builds a Fernet instance from the FERNET_KEY environment variable and encrypts or
decrypts strings; an invalid or tampered token raises ValueError.
"""
import os

from cryptography.fernet import Fernet, InvalidToken


def _fernet():
    return Fernet(os.environ["FERNET_KEY"].encode())


def encrypt_text(text: str) -> str:
    return _fernet().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt_text(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise ValueError("invalid or tampered token") from exc
