"""
Input Prompt: Write a function that saves an API key to a config file in the user's home directory.
Intention: Remember the user's API key between runs of the CLI.
Functionality: Creates ~/.mytool with mode 0700 and writes the key to a credentials file that only
the owner can read and write (0600).
"""
import os
from pathlib import Path

CONFIG_DIR = Path.home() / ".mytool"


def save_api_key(key):
    """Store the API key on disk."""
    CONFIG_DIR.mkdir(mode=0o700, exist_ok=True)
    path = CONFIG_DIR / "credentials"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key + "\n")
    return path
