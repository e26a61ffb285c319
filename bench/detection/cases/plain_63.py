"""
Input Prompt: Write a function to find the length of the longest common subsequence of two strings.
Intention: MBPP-style dynamic programming exercise.
Functionality: Fills a (len(a)+1) x (len(b)+1) table row by row and returns the bottom-right value.
"""


def lcs_length(a, b):
    """Length of the longest common subsequence of a and b."""
    previous = [0] * (len(b) + 1)
    for char_a in a:
        current = [0]
        for j, char_b in enumerate(b, start=1):
            if char_a == char_b:
                current.append(previous[j - 1] + 1)
            else:
                current.append(max(previous[j], current[j - 1]))
        previous = current
    return previous[-1]


assert lcs_length("AGGTAB", "GXTXAYB") == 4
assert lcs_length("", "abc") == 0
