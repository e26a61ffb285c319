"""
Input Prompt: Create a FastAPI endpoint that checks whether a username is already taken, ignoring a prefix the client gives.
Intention: Live feedback in the sign-up form.
Functionality: Builds a regular expression from the prefix and the name and matches it against
every existing username.
"""
import re

from fastapi import FastAPI

from .db import all_usernames

app = FastAPI()


def name_matcher(prefix, name):
    """Regex that matches the name with an optional prefix."""
    return "^(" + prefix + ")?" + name + "$"


@app.get("/usernames/taken")
def username_taken(name: str, prefix: str = ""):
    """True when some existing username matches."""
    regex = name_matcher(prefix, name)
    return {"taken": any(re.match(regex, existing) for existing in all_usernames())}
