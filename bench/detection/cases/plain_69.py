"""
Input Prompt: Write a function that groups words that are anagrams of each other.
Intention: LeetCode-style hashing exercise.
Functionality: Uses the sorted letters of each word as a dictionary key and returns the groups in
first-seen order.
"""
from collections import defaultdict


def group_anagrams(words):
    groups = defaultdict(list)
    for word in words:
        groups["".join(sorted(word))].append(word)
    return list(groups.values())


assert group_anagrams(["eat", "tea", "tan", "ate", "nat", "bat"]) == [["eat", "tea", "ate"], ["tan", "nat"], ["bat"]]
