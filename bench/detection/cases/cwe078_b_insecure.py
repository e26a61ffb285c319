"""
Input Prompt: Write a command-line tool that compresses a directory given on the command line.
Intention: Make quick backups of project folders.
Functionality: Takes the folder name from the arguments and calls tar through os.system to build a
gzip archive next to it.
"""
import os
import sys


def archive_name(folder):
    """Name of the archive written for a folder."""
    return folder.rstrip("/") + ".tar.gz"


def compress(folder):
    """Create a .tar.gz archive of the folder."""
    command = "tar -czf " + archive_name(folder) + " " + folder
    return os.system(command)


if __name__ == "__main__":
    sys.exit(compress(sys.argv[1]))
