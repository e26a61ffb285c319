"""
Input Prompt: Write a random walk simulation and report the average distance from the start.
Intention: Physics homework helper.
Functionality: Runs many two-dimensional random walks with random.choice of a direction per step
and averages the final distances.
"""
import math
import random

STEPS = [(1, 0), (-1, 0), (0, 1), (0, -1)]


def walk(steps):
    """Final position of one random walk."""
    x = y = 0
    for _ in range(steps):
        dx, dy = random.choice(STEPS)
        x, y = x + dx, y + dy
    return x, y


def average_distance(walks=1000, steps=100):
    """Mean distance from the origin after the given number of steps."""
    return sum(math.hypot(*walk(steps)) for _ in range(walks)) / walks


if __name__ == "__main__":
    random.seed(7)
    print(f"{average_distance():.2f}")
