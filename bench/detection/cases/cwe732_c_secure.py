"""
Input Prompt: Create a helper that writes a generated SSH private key to disk.
Intention: Provision deploy keys for new servers.
Functionality: Generates an Ed25519 key with cryptography and writes the private key with
os.open using mode 0o600, refusing to overwrite an existing file.
"""
import os

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey


def write_deploy_key(path):
    """Generate a key pair, write the private key to path and return the public key."""
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH, serialization.NoEncryption())
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    return key.public_key().public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
