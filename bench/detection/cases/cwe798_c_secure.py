"""
Input Prompt: Create a Flask app configuration with a secret key and an admin login check.
Intention: Protect the admin pages of a small site.
Functionality: Reads the Flask secret key and a hash of the admin password from the environment
and checks the submitted password against the hash.
"""
import os

from flask import Flask, abort, request, session
from werkzeug.security import check_password_hash

app = Flask(__name__)
app.config["SECRET_KEY"] = os.environ["FLASK_SECRET_KEY"]
ADMIN_PASSWORD_HASH = os.environ["ADMIN_PASSWORD_HASH"]


@app.post("/admin/login")
def admin_login():
    """Sign the administrator in."""
    if not check_password_hash(ADMIN_PASSWORD_HASH, request.form.get("password", "")):
        abort(403)
    session["admin"] = True
    return "welcome"
