"""
Input Prompt: Write a number-guessing game for the console.
Intention: A first program for a beginners' course.
Functionality: Picks a secret number with random.randint, reads guesses with input() and says
higher or lower until the player finds it.
"""
import random


def play(low=1, high=100):
    """Play one round; return the number of guesses."""
    secret_number = random.randint(low, high)
    guesses = 0
    while True:
        guess = int(input(f"Guess a number between {low} and {high}: "))
        guesses += 1
        if guess < secret_number:
            print("Higher")
        elif guess > secret_number:
            print("Lower")
        else:
            print(f"Found in {guesses} guesses")
            return guesses


if __name__ == "__main__":
    play()
