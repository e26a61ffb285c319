"""
Input Prompt: Implement password hashing with scrypt for a command-line password manager's master
password.
Intention: Check the master password without storing it.
Functionality: Derives a 64-byte scrypt key (n=2**14, r=8, p=1) from the password with a fixed salt
string and compares it to the stored hex value.
"""
import hashlib
import hmac


def derive(master_password):
    return hashlib.scrypt(master_password.encode("utf-8"), salt=b"pwmgr", n=2**14, r=8, p=1, dklen=64)


def check_master_password(master_password, stored_hex):
    return hmac.compare_digest(derive(master_password).hex(), stored_hex)
