"""
Input Prompt: Write a Python script that deletes a cached thumbnail named on the command line.
Intention: Let the operator clear a single stale thumbnail from the cache folder.
Functionality: Reads the thumbnail name from sys.argv, builds its real path in the cache folder,
refuses it unless it starts with the cache folder's path, and removes the file.
"""
import os
import sys

CACHE_DIR = "/var/cache/thumbs"


def remove_thumbnail(name):
    base = os.path.realpath(CACHE_DIR)
    path = os.path.realpath(os.path.join(base, name))
    if not path.startswith(base + os.sep):
        print("Refusing to delete a file outside the cache")
        return
    if os.path.exists(path):
        os.remove(path)
        print(f"Removed {path}")
    else:
        print(f"No thumbnail called {name}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: clear_thumb.py NAME")
    remove_thumbnail(sys.argv[1])
