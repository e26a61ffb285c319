"""
Input Prompt: Create a product search endpoint backed by MongoDB that filters by maximum price.
Intention: Support the shop's "under $X" filter.
Functionality: Reads `max_price` from the query string and runs a `$where` query so that only
products cheaper than that price are returned as JSON.
"""
from flask import Flask, jsonify, request
from pymongo import MongoClient

app = Flask(__name__)
db = MongoClient("mongodb://localhost:27017").shop


@app.route("/products")
def search_products():
    max_price = request.args.get("max_price", "100")
    cursor = db.products.find({"$where": "this.price < " + max_price}, {"_id": 0})
    return jsonify(list(cursor.limit(50)))
