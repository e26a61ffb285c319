"""
Input Prompt: Write a function that returns all prime numbers up to n.
Intention: MBPP-style number theory exercise.
Functionality: Sieve of Eratosthenes over a bytearray, crossing out multiples from each prime's square.
"""


def primes_up_to(n):
    """Sorted list of the primes <= n."""
    if n < 2:
        return []
    sieve = bytearray([1]) * (n + 1)
    sieve[0] = sieve[1] = 0
    for p in range(2, int(n ** 0.5) + 1):
        if sieve[p]:
            sieve[p * p :: p] = bytearray(len(range(p * p, n + 1, p)))
    return [i for i, is_prime in enumerate(sieve) if is_prime]


assert primes_up_to(30) == [2, 3, 5, 7, 11, 13, 17, 19, 23, 29]
