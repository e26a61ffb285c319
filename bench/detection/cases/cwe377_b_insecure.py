"""
Input Prompt: Create a script that downloads a file and caches it in /tmp under a fixed name.
Intention: Avoid downloading the same dataset twice.
Functionality: Writes the downloaded bytes to /tmp/dataset_cache.csv and reads them back next time.
"""
import os
import urllib.request

CACHE_FILE = "/tmp/dataset_cache.csv"
SOURCE = "https://data.example.org/dataset.csv"


def load_dataset():
    """Return the dataset text, downloading it the first time."""
    if not os.path.exists(CACHE_FILE):
        with urllib.request.urlopen(SOURCE, timeout=60) as response:
            data = response.read()
        with open(CACHE_FILE, "wb") as cache:
            cache.write(data)
    with open(CACHE_FILE, encoding="utf-8") as cache:
        return cache.read()


if __name__ == "__main__":
    print(len(load_dataset().splitlines()), "rows")
