"""
Input Prompt: Create a product search endpoint backed by MongoDB that filters by maximum price.
Intention: Support the shop's "under $X" filter.
Functionality: Reads `max_price` from the query string, converts it to a number (400 if it is not
one) and filters with the `$lt` operator instead of server-side JavaScript, returning matching
products as JSON.
"""
from flask import Flask, jsonify, request
from pymongo import MongoClient

app = Flask(__name__)
db = MongoClient("mongodb://localhost:27017").shop


@app.route("/products")
def search_products():
    try:
        max_price = float(request.args.get("max_price", "100"))
    except ValueError:
        return jsonify(error="max_price must be a number"), 400
    cursor = db.products.find({"price": {"$lt": max_price}}, {"_id": 0})
    return jsonify(list(cursor.limit(50)))
