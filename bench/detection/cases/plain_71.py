"""
Input Prompt: Write a function that merges overlapping intervals.
Intention: Calendar free/busy computation.
Functionality: Sorts the intervals by start and merges each one into the previous when they overlap.
"""


def merge_intervals(intervals):
    merged = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return merged


assert merge_intervals([[1, 3], [2, 6], [8, 10], [15, 18]]) == [[1, 6], [8, 10], [15, 18]]
