"""
Input Prompt: Use the cryptography package to encrypt files with AES-GCM.
Intention: Protect exported reports before they are uploaded.
Functionality: Reads the file, encrypts it with AESGCM under the given 256-bit key and the module's
12-byte nonce, and writes the ciphertext next to it with a .enc suffix.
"""
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

NONCE = b"report-nonce"


def encrypt_file(path: str, key: bytes) -> Path:
    source = Path(path)
    data = source.read_bytes()
    encrypted = AESGCM(key).encrypt(NONCE, data, None)
    target = source.with_suffix(source.suffix + ".enc")
    target.write_bytes(encrypted)
    return target
