"""
Input Prompt: Write a script that loads a YAML configuration file given on the command line.
Intention: Configure the deployment tool from a YAML file.
Functionality: Opens the file and parses it with yaml.load using the full Loader, then prints the
target hosts.
"""
import sys

import yaml


def load_config(path):
    """Parse the configuration file."""
    with open(path, encoding="utf-8") as handle:
        return yaml.load(handle, Loader=yaml.Loader)


if __name__ == "__main__":
    config = load_config(sys.argv[1])
    for host in config.get("hosts", []):
        print(host)
