"""
Input Prompt: Write a Flask login route that sends the user back to the page given in `next`.
Intention: Return users to where they were before they had to sign in.
Functionality: After checking the password, redirects to `next` only when it is a path on this
site, otherwise to the home page.
"""
from urllib.parse import urlparse

from flask import Flask, redirect, request, session

from .users import authenticate

app = Flask(__name__)


def local_target(target):
    """The target when it is a relative path on this site, else '/'."""
    parts = urlparse(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


@app.post("/login")
def login():
    """Sign in and go back."""
    user = authenticate(request.form["username"], request.form["password"])
    if user is None:
        return "invalid credentials", 401
    session["user_id"] = user.id
    return redirect(local_target(request.args.get("next", "/")))
