"""
Input Prompt: Write a script that lists the largest files under a directory.
Intention: Find what fills the disk.
Functionality: Walks the tree with os.walk, records each file's size and prints the top N with
human-readable sizes.
"""
import heapq
import os
import sys


def human(size):
    """Size in bytes as a short human-readable string."""
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024:
            return f"{size:.0f} {unit}"
        size /= 1024
    return f"{size:.1f} TB"


def largest_files(root, count=10):
    """The count largest files under root as (size, path) pairs."""
    sizes = []
    for folder, _dirs, files in os.walk(root):
        for name in files:
            path = os.path.join(folder, name)
            try:
                sizes.append((os.path.getsize(path), path))
            except OSError:
                continue
    return heapq.nlargest(count, sizes)


if __name__ == "__main__":
    for size, path in largest_files(sys.argv[1] if len(sys.argv) > 1 else "."):
        print(f"{human(size):>8}  {path}")
