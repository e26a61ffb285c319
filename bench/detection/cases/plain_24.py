"""
Input Prompt: Write a function to validate a Sudoku board.
Intention: Check puzzles entered by users.
Functionality: Checks every row, column and 3x3 box for repeated digits, ignoring empty cells
marked with 0.
"""


def _no_repeats(cells):
    digits = [c for c in cells if c != 0]
    return len(digits) == len(set(digits))


def valid_sudoku(board):
    """True when no row, column or box repeats a digit."""
    rows = board
    cols = [[board[r][c] for r in range(9)] for c in range(9)]
    boxes = [
        [board[r][c] for r in range(br, br + 3) for c in range(bc, bc + 3)]
        for br in range(0, 9, 3)
        for bc in range(0, 9, 3)
    ]
    return all(_no_repeats(group) for group in rows + cols + boxes)
