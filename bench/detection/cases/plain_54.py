"""
Input Prompt: Write a Flask login route that checks a password hash and starts a session.
Intention: Log-in form of a small internal tool.
Functionality: Looks up the user's hash with a parameterized query, checks it with
check_password_hash, clears the old session and stores the user id; failed logins get a generic
message.
"""
import os
import sqlite3

from flask import Flask, redirect, render_template, request, session, url_for
from werkzeug.security import check_password_hash

app = Flask(__name__)
app.secret_key = os.environ["FLASK_SECRET_KEY"]
app.config.update(SESSION_COOKIE_SECURE=True, SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax")


def find_user(username):
    with sqlite3.connect("tool.db") as conn:
        return conn.execute("SELECT id, pw_hash FROM users WHERE username = ?", (username,)).fetchone()


@app.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "GET":
        return render_template("login.html")
    user = find_user(request.form.get("username", ""))
    if user is None or not check_password_hash(user[1], request.form.get("password", "")):
        return render_template("login.html", error="Invalid username or password"), 401
    session.clear()
    session["user_id"] = user[0]
    return redirect(url_for("index"))


@app.route("/")
def index():
    return render_template("index.html", user_id=session.get("user_id"))
