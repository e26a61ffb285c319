"""
Input Prompt: Using PyCryptodome, write functions to create an RSA key and sign messages for our
device-provisioning service.
Intention: Devices verify provisioning messages with the service's public key.
Functionality: Generates a 1024-bit RSA key, exports the public key, and signs messages with
PKCS#1 v1.5 over SHA-256.
"""
from Crypto.Hash import SHA256
from Crypto.PublicKey import RSA
from Crypto.Signature import pkcs1_15


def create_key():
    return RSA.generate(1024)


def public_pem(key):
    return key.publickey().export_key()


def sign(key, message: bytes) -> bytes:
    return pkcs1_15.new(key).sign(SHA256.new(message))
