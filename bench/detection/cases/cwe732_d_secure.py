"""
Input Prompt: Write a function that saves an API token to a config file in the user's home folder.
Intention: Remember the CLI's login token between runs.
Functionality: Creates ~/.acmecli (owner-only) if needed and writes the token to credentials in it,
creating the file with os.open and mode 0o600 so only the owner can read it.
"""
import os
from pathlib import Path


def save_token(token: str) -> Path:
    config_dir = Path.home() / ".acmecli"
    config_dir.mkdir(mode=0o700, exist_ok=True)
    cred_path = config_dir / "credentials"
    fd = os.open(cred_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(token + "\n")
    return cred_path


if __name__ == "__main__":
    print(f"Saved to {save_token(input('Paste your API token: ').strip())}")
