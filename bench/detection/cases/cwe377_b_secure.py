"""
Input Prompt: Create a script that downloads a file and caches it in /tmp under a fixed name.
Intention: Avoid downloading the same dataset twice.
Functionality: Keeps the cache in a per-user cache directory created with mode 0o700 instead of
a predictable name in the shared /tmp.
"""
import os
import urllib.request
from pathlib import Path

CACHE_DIR = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "dataset-tool"
CACHE_FILE = CACHE_DIR / "dataset_cache.csv"
SOURCE = "https://data.example.org/dataset.csv"


def load_dataset():
    """Return the dataset text, downloading it the first time."""
    CACHE_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not CACHE_FILE.exists():
        with urllib.request.urlopen(SOURCE, timeout=60) as response:
            CACHE_FILE.write_bytes(response.read())
    return CACHE_FILE.read_text(encoding="utf-8")


if __name__ == "__main__":
    print(len(load_dataset().splitlines()), "rows")
