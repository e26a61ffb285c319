"""
Input Prompt: Build an endpoint that lets the admin dashboard filter orders stored in MongoDB.
Intention: The dashboard sends the filter the user composed in the UI.
Functionality: Takes the `filter` object from the JSON body, passes it to `find` on the orders
collection and returns up to 100 matching orders.
"""
from flask import Flask, jsonify, request
from pymongo import MongoClient

app = Flask(__name__)
orders = MongoClient("mongodb://localhost:27017")["store"]["orders"]


@app.post("/api/orders/search")
def search_orders():
    payload = request.json or {}
    criteria = payload.get("filter", {})
    results = orders.find(criteria, {"_id": 0}).limit(100)
    return jsonify(orders=list(results))
