"""
Input Prompt: Write a module that encrypts and decrypts short messages with a shared key.
Intention: Protect API tokens stored in a local cache file.
Functionality: Uses DES in ECB mode from PyCryptodome with padding to encrypt and decrypt.
"""
from Crypto.Cipher import DES
from Crypto.Util.Padding import pad, unpad


def encrypt(key, plaintext):
    """Encrypt the text with the 8-byte key."""
    cipher = DES.new(key, DES.MODE_ECB)
    return cipher.encrypt(pad(plaintext.encode(), DES.block_size))


def decrypt(key, ciphertext):
    """Decrypt what encrypt produced."""
    cipher = DES.new(key, DES.MODE_ECB)
    return unpad(cipher.decrypt(ciphertext), DES.block_size).decode()
