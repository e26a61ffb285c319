"""
Input Prompt: Write a command-line tool that counts lines, words and characters in files.
Intention: A small `wc` clone.
Functionality: Takes file paths with argparse, reads each one and prints its counts and a total line.
"""
import argparse


def count(path):
    with open(path, encoding="utf-8", errors="replace") as handle:
        text = handle.read()
    return text.count("\n"), len(text.split()), len(text)


def main():
    parser = argparse.ArgumentParser(description="Count lines, words and characters.")
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    totals = [0, 0, 0]
    for path in args.files:
        lines, words, chars = count(path)
        totals = [totals[0] + lines, totals[1] + words, totals[2] + chars]
        print(f"{lines:8d}{words:8d}{chars:8d} {path}")
    if len(args.files) > 1:
        print(f"{totals[0]:8d}{totals[1]:8d}{totals[2]:8d} total")


if __name__ == "__main__":
    main()
