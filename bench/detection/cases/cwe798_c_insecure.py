"""
Input Prompt: Create a Flask app configuration with a secret key and an admin login check.
Intention: Protect the admin pages of a small site.
Functionality: Sets the Flask secret key and compares the submitted admin password with one
written in the code.
"""
from flask import Flask, abort, request, session

app = Flask(__name__)
app.config["SECRET_KEY"] = "dev-key-8f3b2a91c4"
ADMIN_PASSWORD = "letmein-admin"


@app.post("/admin/login")
def admin_login():
    """Sign the administrator in."""
    if request.form.get("password") != ADMIN_PASSWORD:
        abort(403)
    session["admin"] = True
    return "welcome"
