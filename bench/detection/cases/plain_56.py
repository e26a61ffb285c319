"""
Input Prompt: Write a small on-disk cache for API responses.
Intention: Avoid calling the weather API again for the same city within an hour.
Functionality: Stores each response as JSON in a cache folder under a SHA-256 of the key, with the
time it was saved, and returns it while it is younger than the time-to-live.
"""
import hashlib
import json
import time
from pathlib import Path

CACHE_DIR = Path.home() / ".cache" / "weather"
TTL_SECONDS = 3600


def _path_for(key):
    return CACHE_DIR / (hashlib.sha256(key.encode("utf-8")).hexdigest() + ".json")


def cache_get(key):
    path = _path_for(key)
    if not path.is_file():
        return None
    entry = json.loads(path.read_text(encoding="utf-8"))
    if time.time() - entry["saved_at"] > TTL_SECONDS:
        return None
    return entry["value"]


def cache_put(key, value):
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    _path_for(key).write_text(json.dumps({"saved_at": time.time(), "value": value}), encoding="utf-8")
