"""
Input Prompt: Write a function that runs the project's test suite with pytest and reports whether it passed.
Intention: Used by a small CI helper script.
Functionality: Runs `python -m pytest -q` through subprocess with an argument list, using the
current interpreter, and returns True on exit status 0.
"""
import subprocess
import sys


def tests_pass(project_dir, extra_args=()):
    """True when pytest exits successfully in project_dir."""
    command = [sys.executable, "-m", "pytest", "-q", *extra_args]
    completed = subprocess.run(command, cwd=project_dir, check=False)
    return completed.returncode == 0


if __name__ == "__main__":
    sys.exit(0 if tests_pass(".", sys.argv[1:]) else 1)
