"""
Input Prompt: Write a command-line grep clone that counts lines matching a fixed string in a file.
Intention: A portable grep -F -c for Windows users.
Functionality: Takes the search text and file from sys.argv and counts the lines that contain the
text, using plain substring search.
"""
import sys


def count_matches(needle, path):
    """Number of lines in the file that contain the text."""
    count = 0
    with open(path, encoding="utf-8", errors="replace") as handle:
        for line in handle:
            if needle in line:
                count += 1
    return count


if __name__ == "__main__":
    print(count_matches(sys.argv[1], sys.argv[2]))
