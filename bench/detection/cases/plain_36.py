"""
Input Prompt: Write a function to merge overlapping intervals.
Intention: MBPP-style list exercise.
Functionality: Sorts by start and merges each interval into the last one when they overlap.
"""


def merge_intervals(intervals):
    """Merged, sorted list of [start, end] intervals."""
    merged = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return merged


assert merge_intervals([[1, 3], [2, 6], [8, 10]]) == [[1, 6], [8, 10]]
