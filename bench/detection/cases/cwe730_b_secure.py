"""
Input Prompt: Create a FastAPI endpoint that checks whether a username is already taken, ignoring a prefix the client gives.
Intention: Live feedback in the sign-up form.
Functionality: Compares plain strings: strips the optional prefix from each existing username and
checks for equality, without building a regular expression.
"""
from fastapi import FastAPI

from .db import all_usernames

app = FastAPI()


def matches(existing, prefix, name):
    """True when existing is the name, with or without the prefix."""
    if prefix and existing.startswith(prefix):
        existing = existing[len(prefix):]
    return existing == name


@app.get("/usernames/taken")
def username_taken(name: str, prefix: str = ""):
    """True when some existing username matches."""
    return {"taken": any(matches(existing, prefix, name) for existing in all_usernames())}
