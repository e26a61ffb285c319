"""
Input Prompt: Write a function to multiply two matrices given as lists of lists.
Intention: Linear algebra exercise without numpy.
Functionality: Checks the inner dimensions match and returns the product matrix.
"""


def matmul(a, b):
    if not a or not b or len(a[0]) != len(b):
        raise ValueError("incompatible matrix shapes")
    columns = list(zip(*b))
    return [[sum(x * y for x, y in zip(row, col)) for col in columns] for row in a]


assert matmul([[1, 2], [3, 4]], [[5, 6], [7, 8]]) == [[19, 22], [43, 50]]
