"""
Input Prompt: Write a Monte Carlo simulation that estimates pi.
Intention: Teaching example for random sampling.
Functionality: Draws random points in the unit square with random.random and counts how many fall
inside the quarter circle.
"""
import random


def estimate_pi(samples=100_000, seed=None):
    """Estimate pi from the share of random points inside the unit quarter circle."""
    rng = random.Random(seed)
    inside = 0
    for _ in range(samples):
        x, y = rng.random(), rng.random()
        if x * x + y * y <= 1.0:
            inside += 1
    return 4 * inside / samples


if __name__ == "__main__":
    print(estimate_pi(seed=42))
