"""
Input Prompt: Write helpers that encrypt and decrypt customer notes with AES-GCM before they are
stored.
Intention: Keep notes unreadable in database backups.
Functionality: Encrypts with PyCryptodome's AES in GCM mode under a 32-byte key read (hex) from the
NOTES_KEY environment variable, storing nonce, tag and ciphertext together, and decrypts and
verifies them.
"""
import os

from Crypto.Cipher import AES


def load_key() -> bytes:
    key = bytes.fromhex(os.environ["NOTES_KEY"])
    if len(key) != 32:
        raise ValueError("NOTES_KEY must be 32 bytes, hex encoded")
    return key


def encrypt_note(text: str) -> bytes:
    cipher = AES.new(load_key(), AES.MODE_GCM)
    ciphertext, tag = cipher.encrypt_and_digest(text.encode("utf-8"))
    return cipher.nonce + tag + ciphertext


def decrypt_note(blob: bytes) -> str:
    nonce, tag, ciphertext = blob[:16], blob[16:32], blob[32:]
    cipher = AES.new(load_key(), AES.MODE_GCM, nonce=nonce)
    return cipher.decrypt_and_verify(ciphertext, tag).decode("utf-8")
