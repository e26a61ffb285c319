"""
Input Prompt: Write a function to find all anagram groups in a list of words.
Intention: Word-game helper.
Functionality: Groups the words by their sorted letters and returns the groups with more than one
word.
"""
from collections import defaultdict


def anagram_groups(words):
    """Lists of words that are anagrams of each other."""
    groups = defaultdict(list)
    for word in words:
        groups["".join(sorted(word.lower()))].append(word)
    return [sorted(group) for group in groups.values() if len(group) > 1]
