"""
Input Prompt: Write a function that returns the k most frequent words in a text.
Intention: Keyword extraction for a blog's tag suggestions.
Functionality: Lower-cases the text, splits it into words with a regular expression, counts them
and returns the k most common.
"""
import re
from collections import Counter

WORD = re.compile(r"[a-z']+")
STOP_WORDS = {"the", "a", "an", "and", "or", "of", "to", "in", "is", "it"}


def top_words(text, k=5):
    """The k most frequent words that are not stop words."""
    words = [w for w in WORD.findall(text.lower()) if w not in STOP_WORDS]
    return [word for word, _ in Counter(words).most_common(k)]
