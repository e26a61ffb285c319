"""
Input Prompt: Write a script that compresses all log files older than a week in a directory.
Intention: Save disk space on the log server.
Functionality: Walks the folder, gzips each .log file whose modification time is over seven days
old and removes the original.
"""
import gzip
import shutil
import sys
import time
from pathlib import Path

WEEK = 7 * 24 * 3600


def compress_old_logs(folder):
    """Gzip old .log files in folder; return how many were compressed."""
    now = time.time()
    count = 0
    for path in Path(folder).glob("*.log"):
        if now - path.stat().st_mtime > WEEK:
            with open(path, "rb") as src, gzip.open(str(path) + ".gz", "wb") as dst:
                shutil.copyfileobj(src, dst)
            path.unlink()
            count += 1
    return count


if __name__ == "__main__":
    print(compress_old_logs(sys.argv[1] if len(sys.argv) > 1 else "."), "files compressed")
