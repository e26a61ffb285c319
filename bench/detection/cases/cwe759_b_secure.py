"""
Input Prompt: Implement password hashing with scrypt for a command-line password manager's master
password.
Intention: Check the master password without storing it.
Functionality: Derives a 64-byte scrypt key (n=2**14, r=8, p=1) from the password with a random
16-byte salt stored next to the key, and compares in constant time.
"""
import hashlib
import hmac
import os


def derive(master_password, salt):
    return hashlib.scrypt(master_password.encode("utf-8"), salt=salt, n=2**14, r=8, p=1, dklen=64)


def new_record(master_password):
    salt = os.urandom(16)
    return salt.hex() + ":" + derive(master_password, salt).hex()


def check_master_password(master_password, record):
    salt_hex, key_hex = record.split(":", 1)
    return hmac.compare_digest(derive(master_password, bytes.fromhex(salt_hex)).hex(), key_hex)
