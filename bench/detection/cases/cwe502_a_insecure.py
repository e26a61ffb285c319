"""
Input Prompt: Write a Flask endpoint that restores a saved shopping cart from a cookie.
Intention: Keep the cart across visits without a database.
Functionality: Reads the base64 cookie, unpickles it into the cart object and returns the items.
"""
import base64
import pickle

from flask import Flask, jsonify, request

app = Flask(__name__)


@app.route("/cart")
def show_cart():
    """Return the items in the visitor's cart."""
    raw = request.cookies.get("cart")
    cart = pickle.loads(base64.b64decode(raw)) if raw else {"items": []}
    return jsonify(items=cart["items"])
