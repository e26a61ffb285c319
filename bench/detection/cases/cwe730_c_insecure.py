"""
Input Prompt: Write a command-line grep clone that counts lines matching a pattern in a file.
Intention: A portable grep -c for Windows users.
Functionality: Takes the pattern and file from sys.argv and counts the lines matching the user's
pattern with re.search.
"""
import re
import sys


def count_matches(pattern, path):
    """Number of lines in the file that match the pattern."""
    count = 0
    with open(path, encoding="utf-8", errors="replace") as handle:
        for line in handle:
            if re.search(pattern, line):
                count += 1
    return count


if __name__ == "__main__":
    print(count_matches(sys.argv[1], sys.argv[2]))
