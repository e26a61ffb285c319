"""
Input Prompt: Write a Monte Carlo estimate of pi.
Intention: Show random sampling in a statistics class.
Functionality: Draws random points in the unit square with a seeded random.Random and counts those
inside the quarter circle.
"""
import random


def estimate_pi(samples, seed=42):
    """Estimate pi from the fraction of random points inside the unit quarter circle."""
    rng = random.Random(seed)
    inside = 0
    for _ in range(samples):
        x, y = rng.random(), rng.random()
        if x * x + y * y <= 1.0:
            inside += 1
    return 4 * inside / samples


if __name__ == "__main__":
    print(round(estimate_pi(100_000), 3))
