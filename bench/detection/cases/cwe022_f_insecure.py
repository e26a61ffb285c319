"""
Input Prompt: Write a Python script that deletes a cached thumbnail named on the command line.
Intention: Let the operator clear a single stale thumbnail from the cache folder.
Functionality: Reads the thumbnail name from sys.argv, builds its path in the cache folder and
removes the file.
"""
import os
import sys

CACHE_DIR = "/var/cache/thumbs"


def remove_thumbnail(name):
    path = os.path.join(CACHE_DIR, name)
    if os.path.exists(path):
        os.remove(path)
        print(f"Removed {path}")
    else:
        print(f"No thumbnail called {name}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: clear_thumb.py NAME")
    remove_thumbnail(sys.argv[1])
