"""
Input Prompt: Write a function that downloads a file over HTTPS and checks its SHA-256.
Intention: Fetch release artifacts in a deployment script.
Functionality: Streams the file with requests (certificates verified) to disk in chunks while hashing
it, and raises if the digest differs from the expected one.
"""
import hashlib

import requests


def download_verified(url, dest, expected_sha256):
    if not url.startswith("https://"):
        raise ValueError("only https downloads are allowed")
    digest = hashlib.sha256()
    with requests.get(url, stream=True, timeout=30) as resp:
        resp.raise_for_status()
        with open(dest, "wb") as out:
            for chunk in resp.iter_content(chunk_size=65536):
                digest.update(chunk)
                out.write(chunk)
    if digest.hexdigest() != expected_sha256.lower():
        raise ValueError(f"checksum mismatch for {dest}")
    return dest
