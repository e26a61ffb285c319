"""
Input Prompt: Write a function that checks the available disk space using the df command.
Intention: Warn before a backup fills the disk.
Functionality: Runs `df -P <path>` with an argument list and parses the available kilobytes from
its output.
"""
import subprocess


def available_kb(path="/"):
    """Free space in kilobytes on the file system holding path."""
    output = subprocess.check_output(["df", "-P", path], text=True)
    fields = output.strip().splitlines()[-1].split()
    return int(fields[3])


def enough_space(path, needed_kb):
    """True when at least needed_kb kilobytes are free."""
    return available_kb(path) >= needed_kb
