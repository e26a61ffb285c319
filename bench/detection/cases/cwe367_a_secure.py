"""
Input Prompt: Write a helper for a privileged report service that returns a report file's text if the
requesting user is allowed to read it.
Intention: The service runs with more rights than its callers and must not show files they cannot read.
Functionality: Opens the file directly (no separate permission check that could go stale before the
open) without following a symbolic link, confirms on the open descriptor that the file is a regular
file owned by the requesting user, and returns its contents; returns None otherwise.
"""
import os
import stat


def read_report(path, uid=None):
    """Contents of the report at `path`, or None when it may not be read."""
    uid = os.getuid() if uid is None else uid
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return None
    with os.fdopen(fd, encoding="utf-8") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_uid != uid:
            return None
        return handle.read()


if __name__ == "__main__":
    text = read_report("reports/daily.txt")
    print(text if text is not None else "permission denied")
