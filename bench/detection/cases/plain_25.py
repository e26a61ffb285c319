"""
Input Prompt: Write a configuration loader that reads settings from a JSON file with defaults.
Intention: One place for the app's settings.
Functionality: Loads the JSON file if it exists, merges it over the defaults and returns the
settings; the defaults name the environment variable that holds the password.
"""
import json
from pathlib import Path

DEFAULTS = {
    "host": "localhost",
    "port": 5432,
    "user": "app",
    "password_env": "APP_DB_PASSWORD",
    "pool_size": 5,
}


def load_settings(path="settings.json"):
    """The defaults updated with the values from the JSON file."""
    settings = dict(DEFAULTS)
    file = Path(path)
    if file.exists():
        settings.update(json.loads(file.read_text(encoding="utf-8")))
    return settings
