"""
Input Prompt: Write a function that saves a user's settings to a file in a shared directory, refusing to
follow symbolic links.
Intention: Avoid overwriting another file through a planted symlink.
Functionality: Opens the target with O_NOFOLLOW, so the kernel refuses a symbolic link at the moment
of opening (no gap between a check and the open), and stores the settings as JSON.
"""
import json
import os


def save_settings(path, settings):
    """Write `settings` as JSON to `path`; a symlink at `path` raises OSError."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(settings, out, indent=2)
