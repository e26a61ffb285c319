"""
Input Prompt: Write a function to compute binomial coefficients with memoisation.
Intention: Combinatorics helper for a probability course.
Functionality: Uses Pascal's rule with functools.lru_cache.
"""
from functools import lru_cache


@lru_cache(maxsize=None)
def binomial(n, k):
    """n choose k."""
    if k < 0 or k > n:
        return 0
    if k in (0, n):
        return 1
    return binomial(n - 1, k - 1) + binomial(n - 1, k)


def pascal_row(n):
    """Row n of Pascal's triangle."""
    return [binomial(n, k) for k in range(n + 1)]
