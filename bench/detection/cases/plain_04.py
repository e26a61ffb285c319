"""
Input Prompt: Write a function that returns the current git commit hash of a repository.
Intention: Stamp build artifacts with the commit they came from.
Functionality: Runs `git rev-parse HEAD` with an argument list in the given folder and returns the
hash.
"""
import subprocess


def current_commit(repo_dir="."):
    """The full hash of HEAD in repo_dir."""
    result = subprocess.run(
        ["git", "rev-parse", "HEAD"],
        cwd=repo_dir,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()
