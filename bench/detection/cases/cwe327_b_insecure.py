"""
Input Prompt: Create a Django helper that registers a user and stores a hash of their password.
Intention: Save new accounts in the custom accounts table.
Functionality: Hashes the password with SHA-1 and a fixed salt and saves it on the account model.
"""
import hashlib

from .models import Account

SALT = "s4lty"


def digest(password):
    """Hash used to store the password."""
    return hashlib.sha1((SALT + password).encode()).hexdigest()


def register(username, password):
    """Create the account and return it."""
    account = Account(username=username, password_hash=digest(password))
    account.save()
    return account
