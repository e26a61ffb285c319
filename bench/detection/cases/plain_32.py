"""
Input Prompt: Write a function that returns the n-th Fibonacci number using memoization.
Intention: Practice recursion with a cache.
Functionality: functools.lru_cache over the recursive definition.
"""
from functools import lru_cache


@lru_cache(maxsize=None)
def fib(n):
    """n-th Fibonacci number, fib(0) == 0."""
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


if __name__ == "__main__":
    n = int(input("n: "))
    print(fib(n))
