"""
Input Prompt: Write a function to compute the checksum of a file for a download page.
Intention: Publish SHA-256 sums next to release archives.
Functionality: Reads the file in chunks and feeds them to hashlib.sha256.
"""
import hashlib
import sys


def sha256_of(path, chunk_size=65536):
    """Hex SHA-256 of the file's content."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(chunk_size), b""):
            digest.update(chunk)
    return digest.hexdigest()


if __name__ == "__main__":
    for name in sys.argv[1:]:
        print(f"{sha256_of(name)}  {name}")
