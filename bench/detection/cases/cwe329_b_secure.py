"""
Input Prompt: Use the cryptography package to encrypt files with AES-GCM.
Intention: Protect exported reports before they are uploaded.
Functionality: Reads the file, encrypts it with AESGCM under the given 256-bit key and a fresh
random 12-byte nonce, and writes nonce + ciphertext next to it with a .enc suffix.
"""
import os
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM


def encrypt_file(path: str, key: bytes) -> Path:
    source = Path(path)
    data = source.read_bytes()
    nonce = os.urandom(12)
    encrypted = AESGCM(key).encrypt(nonce, data, None)
    target = source.with_suffix(source.suffix + ".enc")
    target.write_bytes(nonce + encrypted)
    return target
