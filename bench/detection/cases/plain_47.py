"""
Input Prompt: Write a helper that returns the current git commit hash of a repository.
Intention: Stamp build artifacts with the commit they were built from.
Functionality: Runs `git rev-parse HEAD` with subprocess.run and a fixed argument list in the
given directory and returns the stripped output, or None when git fails.
"""
import subprocess


def current_commit(repo_dir="."):
    """The HEAD commit hash of the repository in repo_dir, or None."""
    try:
        result = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=repo_dir,
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        )
    except (subprocess.CalledProcessError, FileNotFoundError, subprocess.TimeoutExpired):
        return None
    return result.stdout.strip()


if __name__ == "__main__":
    print(current_commit() or "not a git repository")
