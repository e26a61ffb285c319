"""
Input Prompt: Write a function that encrypts a configuration value with AES-CBC and returns base64.
Intention: Obfuscate API settings in a shared config file.
Functionality: Pads the value with PKCS#7, encrypts it with AES in CBC mode under the given key and
a zero IV, and returns the ciphertext as base64.
"""
import base64

from Crypto.Cipher import AES
from Crypto.Util.Padding import pad, unpad

IV = bytes(16)


def encrypt_value(key: bytes, value: str) -> str:
    cipher = AES.new(key, AES.MODE_CBC, IV)
    return base64.b64encode(cipher.encrypt(pad(value.encode(), AES.block_size))).decode()


def decrypt_value(key: bytes, token: str) -> str:
    cipher = AES.new(key, AES.MODE_CBC, IV)
    return unpad(cipher.decrypt(base64.b64decode(token)), AES.block_size).decode()
