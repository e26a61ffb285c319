"""
Input Prompt: Write a function to find the longest common subsequence of two strings.
Intention: Provide a reusable helper for text comparison.
Functionality: Fills a dynamic-programming table of prefix lengths and walks it back to build
the subsequence.
"""


def longest_common_subsequence(a, b):
    """Return one longest common subsequence of a and b."""
    rows, cols = len(a) + 1, len(b) + 1
    table = [[0] * cols for _ in range(rows)]
    for i in range(1, rows):
        for j in range(1, cols):
            if a[i - 1] == b[j - 1]:
                table[i][j] = table[i - 1][j - 1] + 1
            else:
                table[i][j] = max(table[i - 1][j], table[i][j - 1])
    out = []
    i, j = len(a), len(b)
    while i and j:
        if a[i - 1] == b[j - 1]:
            out.append(a[i - 1])
            i, j = i - 1, j - 1
        elif table[i - 1][j] >= table[i][j - 1]:
            i -= 1
        else:
            j -= 1
    return "".join(reversed(out))
