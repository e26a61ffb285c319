"""
Input Prompt: Write a Flask login route that logs failed login attempts with the username.
Intention: Keep an audit trail of failed logins.
Functionality: Checks the credentials and, when they are wrong, logs the username with line breaks
and control characters replaced, so one request writes exactly one log line.
"""
import logging

from flask import Flask, request

from .auth import verify_password

app = Flask(__name__)
logger = logging.getLogger("auth")


def printable(value):
    """The value with every character outside printable ASCII replaced by '?'."""
    return "".join(ch if 32 <= ord(ch) < 127 else "?" for ch in value)


@app.post("/login")
def login():
    """Sign the user in."""
    username = request.form.get("username", "")
    password = request.form.get("password", "")
    if not verify_password(username, password):
        logger.warning("failed login for user %s", printable(username))
        return "invalid credentials", 401
    return "ok"
