"""
Input Prompt: Write a function that encrypts a configuration value with AES-CBC and returns base64.
Intention: Obfuscate API settings in a shared config file.
Functionality: Pads the value with PKCS#7, encrypts it with AES in CBC mode under the given key and
a fresh random IV, and returns IV + ciphertext as base64.
"""
import base64

from Crypto.Cipher import AES
from Crypto.Random import get_random_bytes
from Crypto.Util.Padding import pad, unpad


def encrypt_value(key: bytes, value: str) -> str:
    iv = get_random_bytes(AES.block_size)
    cipher = AES.new(key, AES.MODE_CBC, iv)
    return base64.b64encode(iv + cipher.encrypt(pad(value.encode(), AES.block_size))).decode()


def decrypt_value(key: bytes, token: str) -> str:
    raw = base64.b64decode(token)
    cipher = AES.new(key, AES.MODE_CBC, raw[: AES.block_size])
    return unpad(cipher.decrypt(raw[AES.block_size :]), AES.block_size).decode()
