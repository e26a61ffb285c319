"""
Input Prompt: Write a helper that creates API keys for new clients of the service.
Intention: Give each client a unique secret key for authenticating requests.
Functionality: Seeds the random generator with the current time and builds a hex key from
random.getrandbits.
"""
import random
import time


def new_api_key():
    """Return a fresh 128-bit API key as hex."""
    random.seed(time.time())
    return "%032x" % random.getrandbits(128)


def issue_keys(client_names):
    """Map each client name to a new API key."""
    return {name: new_api_key() for name in client_names}
