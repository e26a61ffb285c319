"""
Input Prompt: Write a function that saves an API token to a config file in the user's home folder.
Intention: Remember the CLI's login token between runs.
Functionality: Creates ~/.acmecli if needed, writes the token to credentials in it and makes the
file readable and writable by everyone so other tools can use it.
"""
import os
from pathlib import Path


def save_token(token: str) -> Path:
    config_dir = Path.home() / ".acmecli"
    config_dir.mkdir(exist_ok=True)
    cred_path = config_dir / "credentials"
    with open(cred_path, "w", encoding="utf-8") as fh:
        fh.write(token + "\n")
    os.chmod(cred_path, 0o666)
    return cred_path


if __name__ == "__main__":
    print(f"Saved to {save_token(input('Paste your API token: ').strip())}")
