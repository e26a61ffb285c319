"""
Input Prompt: Write a Flask login endpoint that logs failed login attempts.
Intention: Keep an audit trail of failed logins for the security team.
Functionality: Checks the submitted credentials against the user store and, on failure, writes a
warning with the submitted username to the application log.
"""
import logging

from flask import Flask, request
from werkzeug.security import check_password_hash

app = Flask(__name__)
logger = logging.getLogger("auth")
USERS: dict[str, str] = {}


@app.post("/login")
def login():
    username = request.form.get("username", "")
    password = request.form.get("password", "")
    stored = USERS.get(username)
    if stored is None or not check_password_hash(stored, password):
        logger.warning(f"Failed login for user {username}")
        return "Invalid credentials", 401
    return "Welcome"
