"""
Input Prompt: Write a program that prints the ten most common words in a text file.
Intention: Text-processing exercise.
Functionality: Reads the file given as the first argument, lowercases it, splits it into words with
a regular expression and prints the ten most frequent with their counts.
"""
import re
import sys
from collections import Counter

WORD = re.compile(r"[a-z']+")


def top_words(text, n=10):
    return Counter(WORD.findall(text.lower())).most_common(n)


def main(argv):
    if len(argv) != 2:
        print("usage: top_words.py FILE", file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as handle:
        for word, count in top_words(handle.read()):
            print(f"{count:6d} {word}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
