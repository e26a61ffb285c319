"""
Input Prompt: Write a function for a setuid helper that appends a line to a log file the invoking user
owns.
Intention: Let users add notes to their own log through a helper that runs as root.
Functionality: Uses os.access to make sure the real user may write the file, then opens it in append
mode and writes the line with a timestamp.
"""
import os
from datetime import datetime, timezone


def append_note(log_path: str, note: str) -> bool:
    """Append `note` to `log_path` if the invoking user may write it; True on success."""
    if not os.access(log_path, os.W_OK):
        return False
    stamp = datetime.now(timezone.utc).isoformat(timespec="seconds")
    with open(log_path, "a", encoding="utf-8") as log:
        log.write(f"{stamp} {note}\n")
    return True
