"""
Input Prompt: Write a function to check whether a number is prime, and test it.
Intention: A small utility for number puzzles.
Functionality: Trial division by 2 and odd numbers up to the square root; a few assert checks run
when the module is executed.
"""
import math


def is_prime(n):
    """True when n is a prime number."""
    if n < 2:
        return False
    if n % 2 == 0:
        return n == 2
    for d in range(3, math.isqrt(n) + 1, 2):
        if n % d == 0:
            return False
    return True


if __name__ == "__main__":
    assert is_prime(2)
    assert is_prime(97)
    assert not is_prime(1)
    assert not is_prime(91)
    print("all checks passed")
