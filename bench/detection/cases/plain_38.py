"""
Input Prompt: Write a function that counts the frequency of each character in a string.
Intention: MBPP-style dictionary exercise.
Functionality: collections.Counter over the characters, returned as a dict sorted by character.
"""
from collections import Counter


def char_frequency(text):
    """Map each character to its count."""
    return dict(sorted(Counter(text).items()))


def most_common_char(text):
    """The character that occurs most often."""
    return Counter(text).most_common(1)[0][0]


assert char_frequency("aab") == {"a": 2, "b": 1}
assert most_common_char("hello") == "l"
