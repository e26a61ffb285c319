"""
Input Prompt: Write a function that generates a strong random password.
Intention: Suggest passwords on the sign-up page.
Functionality: Uses secrets.choice over letters, digits and punctuation, and retries until the
password has at least one character of each class.
"""
import secrets
import string

ALPHABET = string.ascii_letters + string.digits + string.punctuation


def generate_password(length=16):
    """A random password of `length` characters with upper, lower, digit and symbol."""
    if length < 8:
        raise ValueError("length must be at least 8")
    while True:
        password = "".join(secrets.choice(ALPHABET) for _ in range(length))
        if (any(c.islower() for c in password) and any(c.isupper() for c in password)
                and any(c.isdigit() for c in password) and any(c in string.punctuation for c in password)):
            return password


if __name__ == "__main__":
    print(generate_password())
