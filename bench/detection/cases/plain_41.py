"""
Input Prompt: Write a function to shuffle a deck of cards and deal hands.
Intention: A card game for a family evening.
Functionality: Builds a 52-card deck, shuffles it with random.shuffle and deals equal hands.
"""
import random

SUITS = "SHDC"
RANKS = ["2", "3", "4", "5", "6", "7", "8", "9", "10", "J", "Q", "K", "A"]


def deal(players, cards_each):
    """Deal cards_each cards to each of players hands."""
    deck = [rank + suit for suit in SUITS for rank in RANKS]
    random.shuffle(deck)
    return [deck[i * cards_each:(i + 1) * cards_each] for i in range(players)]


if __name__ == "__main__":
    for hand in deal(4, 5):
        print(" ".join(hand))
