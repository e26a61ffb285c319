"""
Input Prompt: Write a module that encrypts and decrypts short messages with a shared key.
Intention: Protect API tokens stored in a local cache file.
Functionality: Uses AES-GCM from PyCryptodome with a random nonce, and checks the tag when
decrypting.
"""
from Crypto.Cipher import AES
from Crypto.Random import get_random_bytes


def encrypt(key, plaintext):
    """Encrypt the text with the 16, 24 or 32-byte key: nonce + tag + ciphertext."""
    nonce = get_random_bytes(12)
    cipher = AES.new(key, AES.MODE_GCM, nonce=nonce)
    ciphertext, tag = cipher.encrypt_and_digest(plaintext.encode())
    return nonce + tag + ciphertext


def decrypt(key, blob):
    """Decrypt what encrypt produced; raises ValueError if it was tampered with."""
    nonce, tag, ciphertext = blob[:12], blob[12:28], blob[28:]
    cipher = AES.new(key, AES.MODE_GCM, nonce=nonce)
    return cipher.decrypt_and_verify(ciphertext, tag).decode()
