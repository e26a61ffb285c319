"""
Input Prompt: Write a script that counts the lines of code per language in a project folder.
Intention: Give a quick overview of a codebase.
Functionality: Walks the folder with pathlib, maps file extensions to languages and counts
non-blank lines.
"""
import sys
from collections import Counter
from pathlib import Path

LANGUAGES = {".py": "Python", ".js": "JavaScript", ".ts": "TypeScript", ".go": "Go", ".rs": "Rust"}


def count_lines(root):
    """Non-blank lines per language under root."""
    totals = Counter()
    for path in Path(root).rglob("*"):
        language = LANGUAGES.get(path.suffix)
        if language and path.is_file():
            with open(path, encoding="utf-8", errors="ignore") as handle:
                totals[language] += sum(1 for line in handle if line.strip())
    return totals


if __name__ == "__main__":
    for language, lines in count_lines(sys.argv[1] if len(sys.argv) > 1 else ".").most_common():
        print(f"{language:12} {lines}")
