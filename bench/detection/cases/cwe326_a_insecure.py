"""
Input Prompt: Write a script that generates an RSA key pair for signing release files and saves it as PEM.
Intention: The release manager signs tarballs with the private key.
Functionality: Generates a 1024-bit RSA key with the cryptography package and writes the encrypted
private key and the public key to PEM files.
"""
import getpass

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


def generate_keys(prefix="release"):
    key = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    passphrase = getpass.getpass("Passphrase: ").encode()
    with open(f"{prefix}_private.pem", "wb") as out:
        out.write(key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(passphrase),
        ))
    with open(f"{prefix}_public.pem", "wb") as out:
        out.write(key.public_key().public_bytes(
            serialization.Encoding.PEM,
            serialization.PublicFormat.SubjectPublicKeyInfo,
        ))


if __name__ == "__main__":
    generate_keys()
