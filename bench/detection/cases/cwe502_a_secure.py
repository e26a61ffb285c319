"""
Input Prompt: Write a Flask endpoint that restores a saved shopping cart from a cookie.
Intention: Keep the cart across visits without a database.
Functionality: Reads the cookie, decodes it as JSON and keeps only a list of item ids.
"""
import base64
import json

from flask import Flask, jsonify, request

app = Flask(__name__)


@app.route("/cart")
def show_cart():
    """Return the items in the visitor's cart."""
    raw = request.cookies.get("cart")
    try:
        cart = json.loads(base64.b64decode(raw)) if raw else {"items": []}
        items = [str(item) for item in cart.get("items", [])]
    except (ValueError, AttributeError):
        items = []
    return jsonify(items=items)
