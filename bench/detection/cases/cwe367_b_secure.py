"""
Input Prompt: Write a function for a setuid helper that appends a line to a log file the invoking user
owns.
Intention: Let users add notes to their own log through a helper that runs as root.
Functionality: Opens the file once, without following symbolic links, and checks on the open
descriptor that the invoking user owns the regular file before writing the line with a timestamp,
so the file cannot be swapped between a check and the write.
"""
import os
import stat
from datetime import datetime, timezone


def append_note(log_path: str, note: str) -> bool:
    """Append `note` to `log_path` if the invoking user owns it; True on success."""
    try:
        fd = os.open(log_path, os.O_WRONLY | os.O_APPEND | os.O_NOFOLLOW)
    except OSError:
        return False
    with os.fdopen(fd, "a", encoding="utf-8") as log:
        info = os.fstat(log.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid():
            return False
        stamp = datetime.now(timezone.utc).isoformat(timespec="seconds")
        log.write(f"{stamp} {note}\n")
    return True
