"""
Input Prompt: Write a function to rotate a matrix by 90 degrees clockwise.
Intention: Image-processing exercise.
Functionality: Reverses the rows and transposes the result with zip.
"""


def rotate_clockwise(matrix):
    """The matrix rotated a quarter turn clockwise."""
    return [list(row) for row in zip(*matrix[::-1])]


def rotate_times(matrix, turns):
    """The matrix rotated clockwise the given number of quarter turns."""
    for _ in range(turns % 4):
        matrix = rotate_clockwise(matrix)
    return matrix
