"""
Input Prompt: Write a script that prints the git commit count of the current repository.
Intention: Show the number of commits in a build log.
Functionality: Runs git with a fixed argument list through subprocess.run and prints the count.
"""
import subprocess


def commit_count():
    """Number of commits reachable from HEAD."""
    result = subprocess.run(["git", "rev-list", "--count", "HEAD"], capture_output=True, text=True, check=True)
    return int(result.stdout.strip())


if __name__ == "__main__":
    print(commit_count())
