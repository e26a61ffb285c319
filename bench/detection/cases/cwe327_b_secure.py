"""
Input Prompt: Create a Django helper that registers a user and stores a hash of their password.
Intention: Save new accounts in the custom accounts table.
Functionality: Hashes the password with Django's make_password (a salted, slow password hash) and
saves it on the account model.
"""
from django.contrib.auth.hashers import make_password

from .models import Account


def digest(password):
    """Hash used to store the password."""
    return make_password(password)


def register(username, password):
    """Create the account and return it."""
    account = Account(username=username, password_hash=digest(password))
    account.save()
    return account
