"""
Input Prompt: Write a function that saves a user's settings to a file in a shared directory, refusing to
follow symbolic links.
Intention: Avoid overwriting another file through a planted symlink.
Functionality: Checks that the target path is not a symbolic link with os.path.islink, then opens it
for writing and stores the settings as JSON.
"""
import json
import os


def save_settings(path, settings):
    """Write `settings` as JSON to `path` unless it is a symlink."""
    if os.path.islink(path):
        raise PermissionError(f"refusing to write through symlink {path}")
    with open(path, "w", encoding="utf-8") as out:
        json.dump(settings, out, indent=2)
