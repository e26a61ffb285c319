"""
Input Prompt: Build an endpoint that lets the admin dashboard filter orders stored in MongoDB.
Intention: The dashboard sends the filter the user composed in the UI.
Functionality: Builds the query only from known fields (status, customer, country) whose values
are plain strings, ignoring anything else the client sends, and returns up to 100 matching orders.
"""
from flask import Flask, jsonify, request
from pymongo import MongoClient

app = Flask(__name__)
orders = MongoClient("mongodb://localhost:27017")["store"]["orders"]

FILTER_FIELDS = ("status", "customer", "country")


@app.post("/api/orders/search")
def search_orders():
    payload = request.json or {}
    requested = payload.get("filter", {})
    if not isinstance(requested, dict):
        return jsonify(error="filter must be an object"), 400
    criteria = {}
    for field in FILTER_FIELDS:
        value = requested.get(field)
        if isinstance(value, str):
            criteria[field] = value
    results = orders.find(criteria, {"_id": 0}).limit(100)
    return jsonify(orders=list(results))
