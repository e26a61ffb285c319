"""
Input Prompt: Write a function to find the longest common prefix of a list of strings.
Intention: MBPP-style string exercise.
Functionality: Shrinks the first word until every other word starts with it.
"""


def longest_common_prefix(words):
    """Longest prefix shared by every word."""
    if not words:
        return ""
    prefix = words[0]
    for word in words[1:]:
        while not word.startswith(prefix):
            prefix = prefix[:-1]
    return prefix


assert longest_common_prefix(["flower", "flow", "flight"]) == "fl"
assert longest_common_prefix(["dog", "racecar"]) == ""
