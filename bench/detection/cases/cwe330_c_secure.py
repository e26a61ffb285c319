"""
Input Prompt: Write a helper that creates API keys for new clients of the service.
Intention: Give each client a unique secret key for authenticating requests.
Functionality: Builds a hex key from the operating system's random source with secrets.token_hex.
"""
import secrets


def new_api_key():
    """Return a fresh 128-bit API key as hex."""
    return secrets.token_hex(16)


def issue_keys(client_names):
    """Map each client name to a new API key."""
    return {name: new_api_key() for name in client_names}
