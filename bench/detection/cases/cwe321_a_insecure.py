"""
Input Prompt: Write helpers that encrypt and decrypt customer notes with AES-GCM before they are
stored.
Intention: Keep notes unreadable in database backups.
Functionality: Encrypts with PyCryptodome's AES in GCM mode under the module's 16-byte key, storing
nonce, tag and ciphertext together, and decrypts and verifies them.
"""
from Crypto.Cipher import AES

KEY = b"k3y-f0r-n0tes!!!"


def encrypt_note(text: str) -> bytes:
    cipher = AES.new(KEY, AES.MODE_GCM)
    ciphertext, tag = cipher.encrypt_and_digest(text.encode("utf-8"))
    return cipher.nonce + tag + ciphertext


def decrypt_note(blob: bytes) -> str:
    nonce, tag, ciphertext = blob[:16], blob[16:32], blob[32:]
    cipher = AES.new(KEY, AES.MODE_GCM, nonce=nonce)
    return cipher.decrypt_and_verify(ciphertext, tag).decode("utf-8")
