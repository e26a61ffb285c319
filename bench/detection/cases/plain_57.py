"""
Input Prompt: Write a function that writes a JSON file atomically.
Intention: Never leave a half-written state file if the program crashes.
Functionality: Writes the data to a NamedTemporaryFile in the target's folder, flushes and fsyncs
it, then replaces the target with os.replace.
"""
import json
import os
import tempfile


def write_json_atomic(path, data):
    folder = os.path.dirname(os.path.abspath(path))
    with tempfile.NamedTemporaryFile("w", dir=folder, delete=False, suffix=".tmp", encoding="utf-8") as tmp:
        json.dump(data, tmp, indent=2, sort_keys=True)
        tmp.flush()
        os.fsync(tmp.fileno())
        temp_name = tmp.name
    os.replace(temp_name, path)
