"""
Input Prompt: Write a dice game simulator that plays many rounds of two dice and reports how often each total occurs.
Intention: Show students the distribution of dice sums.
Functionality: Rolls two dice with random.randint for each round and counts the totals in a
Counter.
"""
import random
from collections import Counter


def simulate(rounds=10_000):
    """Counts of each total of two dice over the rounds."""
    totals = Counter()
    for _ in range(rounds):
        totals[random.randint(1, 6) + random.randint(1, 6)] += 1
    return totals


def shuffle_players(players):
    """A random playing order."""
    order = list(players)
    random.shuffle(order)
    return order


if __name__ == "__main__":
    for total, count in sorted(simulate().items()):
        print(f"{total:2d} {count}")
