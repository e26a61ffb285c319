"""
Input Prompt: Write a function to compute the edit distance between two words.
Intention: Suggest spelling corrections.
Functionality: Classic Levenshtein distance with a rolling row of the dynamic-programming table.
"""


def edit_distance(source, target):
    """Minimum number of insertions, deletions and substitutions turning source into target."""
    previous = list(range(len(target) + 1))
    for i, s_char in enumerate(source, start=1):
        current = [i]
        for j, t_char in enumerate(target, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (s_char != t_char)))
        previous = current
    return previous[-1]
