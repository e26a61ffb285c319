"""
Input Prompt: Write helpers that sign a value for a cookie and check the signature when it comes back.
Intention: Store the user's preferred theme in a tamper-proof cookie without a session store.
Functionality: Appends an HMAC-SHA256 of the value (key from the environment) to the value, and on
the way back recomputes it and returns the value only if the signatures are equal.
"""
import hashlib
import hmac
import os


def _mac(value: str) -> str:
    key = os.environ["COOKIE_KEY"].encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def sign(value: str) -> str:
    return f"{value}.{_mac(value)}"


def unsign(cookie: str):
    value, _, signature = cookie.rpartition(".")
    if hmac.new(os.environ["COOKIE_KEY"].encode(), value.encode(), hashlib.sha256).hexdigest() == signature:
        return value
    return None
