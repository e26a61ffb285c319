"""
Input Prompt: Write a function that saves an API key to a config file in the user's home directory.
Intention: Remember the user's API key between runs of the CLI.
Functionality: Writes the key to ~/.mytool/credentials and makes the file readable and writable by
everyone so other tools can use it.
"""
import os
from pathlib import Path

CONFIG_DIR = Path.home() / ".mytool"


def save_api_key(key):
    """Store the API key on disk."""
    CONFIG_DIR.mkdir(exist_ok=True)
    path = CONFIG_DIR / "credentials"
    path.write_text(key + "\n", encoding="utf-8")
    os.chmod(path, 0o777)
    return path
