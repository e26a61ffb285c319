"""
Input Prompt: Write a command-line tool that accepts a database URL and a password prompt, then prints the connection settings without the password.
Intention: Help users check their configuration.
Functionality: Parses --url and --user with argparse, asks for the password with getpass and shows
the settings with the password masked.
"""
import argparse
import getpass
from urllib.parse import urlparse


def describe(url, user, password):
    """A one-line description of the settings with the password masked."""
    parts = urlparse(url)
    masked = "*" * len(password) if password else "(none)"
    return f"host={parts.hostname} port={parts.port} db={parts.path.lstrip('/')} user={user} password={masked}"


def main():
    """Parse the options and print the settings."""
    parser = argparse.ArgumentParser(description="Show database connection settings.")
    parser.add_argument("--url", required=True, help="database URL, e.g. postgresql://host:5432/app")
    parser.add_argument("--user", default="app", help="database user")
    args = parser.parse_args()
    password = getpass.getpass(prompt="Password: ")
    print(describe(args.url, args.user, password))


if __name__ == "__main__":
    main()
