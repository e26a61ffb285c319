"""
Input Prompt: Write a command-line tool that compresses a directory given on the command line.
Intention: Make quick backups of project folders.
Functionality: Takes the folder name from the arguments and uses the tarfile module to build a
gzip archive next to it, without starting a shell.
"""
import sys
import tarfile
from pathlib import Path


def archive_name(folder):
    """Name of the archive written for a folder."""
    return folder.rstrip("/") + ".tar.gz"


def compress(folder):
    """Create a .tar.gz archive of the folder."""
    with tarfile.open(archive_name(folder), "w:gz") as archive:
        archive.add(folder, arcname=Path(folder).name)
    return 0


if __name__ == "__main__":
    sys.exit(compress(sys.argv[1]))
