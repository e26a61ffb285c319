"""
Input Prompt: Write a function that shuffles a deck of cards and deals hands for a card game.
Intention: Part of a simple poker game for practice.
Functionality: Builds a 52-card deck, shuffles it with random.shuffle and deals the requested
number of hands.
"""
import random

SUITS = "SHDC"
RANKS = "23456789TJQKA"


def new_deck():
    """All 52 cards as two-character strings."""
    return [rank + suit for suit in SUITS for rank in RANKS]


def deal(players, cards_each=5, rng=random):
    """Shuffle a deck and deal cards_each cards to each player."""
    deck = new_deck()
    rng.shuffle(deck)
    return [deck[i * cards_each:(i + 1) * cards_each] for i in range(players)]
