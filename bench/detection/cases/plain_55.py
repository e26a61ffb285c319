"""
Input Prompt: Write a function that loads application settings from a YAML file with defaults.
Intention: Configuration for a data pipeline.
Functionality: Reads the file with yaml.safe_load, merges it over the default settings and checks
that `workers` is a positive integer.
"""
import yaml

DEFAULTS = {"workers": 4, "input_dir": "data/in", "output_dir": "data/out", "verbose": False}


def load_settings(path):
    with open(path, encoding="utf-8") as handle:
        loaded = yaml.safe_load(handle) or {}
    if not isinstance(loaded, dict):
        raise ValueError(f"{path}: expected a mapping at the top level")
    settings = {**DEFAULTS, **loaded}
    if not isinstance(settings["workers"], int) or settings["workers"] < 1:
        raise ValueError(f"{path}: workers must be a positive integer")
    return settings
