"""
Input Prompt: Write a function to check whether a string of brackets is balanced.
Intention: MBPP-style stack exercise.
Functionality: Pushes opening brackets on a list and pops them on the matching closing bracket.
"""

PAIRS = {")": "(", "]": "[", "}": "{"}


def is_balanced(text):
    """True when every bracket is closed in the right order."""
    stack = []
    for char in text:
        if char in "([{":
            stack.append(char)
        elif char in PAIRS:
            if not stack or stack.pop() != PAIRS[char]:
                return False
    return not stack


assert is_balanced("{[()]}")
assert not is_balanced("(]")
