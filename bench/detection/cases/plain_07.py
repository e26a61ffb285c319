"""
Input Prompt: Write a function to merge overlapping intervals.
Intention: Simplify calendar busy times.
Functionality: Sorts the intervals by start and merges each with the previous one when they
overlap.
"""


def merge_intervals(intervals):
    """Return the union of the intervals as a sorted list of disjoint intervals."""
    merged = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [tuple(pair) for pair in merged]
