"""
Input Prompt: Write a Flask login route that sends the user back to the page given in `next`.
Intention: Return users to where they were before they had to sign in.
Functionality: After checking the password, redirects to the `next` query parameter.
"""
from flask import Flask, redirect, request, session

from .users import authenticate

app = Flask(__name__)


@app.post("/login")
def login():
    """Sign in and go back."""
    user = authenticate(request.form["username"], request.form["password"])
    if user is None:
        return "invalid credentials", 401
    session["user_id"] = user.id
    return redirect(request.args.get("next", "/"))
