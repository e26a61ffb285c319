"""
Input Prompt: Write a helper for a privileged report service that returns a report file's text if the
requesting user is allowed to read it.
Intention: The service runs with more rights than its callers and must not show files they cannot read.
Functionality: Checks read permission with os.access and, when it is granted, opens the file and
returns its contents; returns None otherwise.
"""
import os


def read_report(path):
    """Contents of the report at `path`, or None when it may not be read."""
    if os.access(path, os.R_OK):
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    return None


if __name__ == "__main__":
    text = read_report("reports/daily.txt")
    print(text if text is not None else "permission denied")
