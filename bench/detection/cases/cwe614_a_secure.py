"""
Input Prompt: Write a Flask login route that sets a session token cookie.
Intention: Keep the user signed in between requests.
Functionality: After authenticating, creates a session token and sets it as a Secure, HttpOnly,
SameSite=Lax cookie on the response.
"""
import secrets

from flask import Flask, make_response, request

from .users import authenticate, store_session

app = Flask(__name__)


@app.post("/login")
def login():
    """Sign the user in and set the session cookie."""
    user = authenticate(request.form["username"], request.form["password"])
    if user is None:
        return "invalid credentials", 401
    token = secrets.token_urlsafe(32)
    store_session(token, user.id)
    response = make_response("signed in")
    response.set_cookie("session_token", token, secure=True, httponly=True, samesite="Lax")
    return response
