"""
Input Prompt: Add a route to our Flask app (which uses CSRFProtect) that deletes the current user's
saved payment card.
Intention: The billing page has a "remove card" button that posts to this route.
Functionality: Exempts the route from CSRF protection with @csrf.exempt so the button's plain form
post is accepted, deletes the card for the session's user and redirects to the billing page.
"""
import os

from flask import Flask, redirect, session, url_for
from flask_wtf.csrf import CSRFProtect

from billing import delete_saved_card

app = Flask(__name__)
app.config["SECRET_KEY"] = os.environ["FLASK_SECRET_KEY"]
csrf = CSRFProtect(app)


@app.route("/billing/card/delete", methods=["POST"])
@csrf.exempt
def delete_card():
    if "user_id" not in session:
        return redirect(url_for("login"))
    delete_saved_card(session["user_id"])
    return redirect(url_for("billing"))
