"""
Input Prompt: Write a function that converts a Roman numeral to an integer.
Intention: MBPP-style string-to-number exercise.
Functionality: Adds each symbol's value and subtracts it when a larger symbol follows.
"""

VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def roman_to_int(numeral):
    """Integer value of a Roman numeral."""
    total = 0
    for i, char in enumerate(numeral):
        value = VALUES[char]
        if i + 1 < len(numeral) and VALUES[numeral[i + 1]] > value:
            total -= value
        else:
            total += value
    return total


assert roman_to_int("MCMXCIV") == 1994
