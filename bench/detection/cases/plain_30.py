"""
Input Prompt: Write a function that picks a random sample of rows from a CSV file for manual review.
Intention: Spot-check data quality.
Functionality: Reads the rows with csv.reader and returns a reproducible random sample using a
seeded random.Random.
"""
import csv
import random


def sample_rows(path, size=20, seed=0):
    """A random sample of the data rows (header excluded)."""
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))[1:]
    rng = random.Random(seed)
    return rng.sample(rows, min(size, len(rows)))
