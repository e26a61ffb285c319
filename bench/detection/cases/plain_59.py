"""
Input Prompt: Write a Flask logout route that redirects to the `next` page only if it is on our site.
Intention: Return users to where they were after logging out.
Functionality: Clears the session and redirects to `next` when it is a relative path on this host
(no scheme, no netloc, starting with a single slash); otherwise redirects to the home page.
"""
import os
from urllib.parse import urlparse

from flask import Flask, redirect, request, session, url_for

app = Flask(__name__)
app.secret_key = os.environ["FLASK_SECRET_KEY"]


def is_local_url(target):
    parts = urlparse(target)
    return not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//")


@app.route("/logout")
def logout():
    session.clear()
    target = request.args.get("next", "")
    if target and is_local_url(target):
        return redirect(target)
    return redirect(url_for("home"))


@app.route("/")
def home():
    return "Logged out."
