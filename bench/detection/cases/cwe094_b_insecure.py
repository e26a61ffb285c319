"""
Input Prompt: Write a script that reads a Python dictionary literal of settings from the user and applies it.
Intention: Let operators tweak runtime settings interactively.
Functionality: Reads a line with input(), turns it into a dictionary with exec and merges it into
the defaults.
"""
DEFAULTS = {"retries": 3, "timeout": 10.0, "verbose": False}


def parse_settings(text):
    """Turn the text typed by the user into a dictionary."""
    namespace = {}
    exec("overrides = " + text, namespace)
    return namespace["overrides"]


def main():
    """Ask for overrides and print the effective settings."""
    raw = input("Settings as a dict: ")
    settings = {**DEFAULTS, **parse_settings(raw)}
    for key, value in sorted(settings.items()):
        print(f"{key} = {value}")


if __name__ == "__main__":
    main()
