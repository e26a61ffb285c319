"""
Input Prompt: Write a function to extract all words of length five or more from a sentence using regex.
Intention: MBPP-style regular-expression exercise.
Functionality: re.findall with a word-boundary pattern.
"""
import re


def long_words(text):
    """Words with at least five letters."""
    return re.findall(r"\b\w{5,}\b", text)


def text_match(text, pattern="ab+?"):
    """'Found a match!' when the pattern occurs in the text."""
    if re.search(pattern, text):
        return "Found a match!"
    return "Not matched!"


assert long_words("Please move back to stream") == ["Please", "stream"]
assert text_match("ac") == "Not matched!"
