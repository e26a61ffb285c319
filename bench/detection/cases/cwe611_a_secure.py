"""
Input Prompt: Write a Flask endpoint that accepts an XML order and returns the order total.
Intention: Support partners who send orders as XML.
Functionality: Parses the request body with defusedxml, which refuses entities and DTDs, and sums
the item prices.
"""
from defusedxml import ElementTree
from flask import Flask, jsonify, request

app = Flask(__name__)


@app.post("/orders")
def create_order():
    """Return the total of the posted XML order."""
    root = ElementTree.fromstring(request.data)
    total = sum(float(item.findtext("price")) for item in root.iter("item"))
    return jsonify(total=total)
