"""
Input Prompt: Write a Flask login route that logs failed login attempts with the username.
Intention: Keep an audit trail of failed logins.
Functionality: Checks the credentials and writes a warning with the submitted username to the
application log when they are wrong.
"""
import logging

from flask import Flask, request

from .auth import verify_password

app = Flask(__name__)
logger = logging.getLogger("auth")


@app.post("/login")
def login():
    """Sign the user in."""
    username = request.form.get("username", "")
    password = request.form.get("password", "")
    if not verify_password(username, password):
        logger.warning("failed login for user " + username)
        return "invalid credentials", 401
    return "ok"
