"""
Input Prompt: Write a function to check whether the brackets in a string are balanced.
Intention: Stack exercise.
Functionality: Pushes opening brackets, pops on closing ones and checks that each pair matches.
"""

PAIRS = {")": "(", "]": "[", "}": "{"}


def is_balanced(text):
    stack = []
    for char in text:
        if char in "([{":
            stack.append(char)
        elif char in PAIRS:
            if not stack or stack.pop() != PAIRS[char]:
                return False
    return not stack


assert is_balanced("{[()()]}")
assert not is_balanced("([)]")
