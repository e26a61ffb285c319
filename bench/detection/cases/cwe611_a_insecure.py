"""
Input Prompt: Write a Flask endpoint that accepts an XML order and returns the order total.
Intention: Support partners who send orders as XML.
Functionality: Parses the request body with lxml, resolving entities, and sums the item prices.
"""
from flask import Flask, jsonify, request
from lxml import etree

app = Flask(__name__)


@app.post("/orders")
def create_order():
    """Return the total of the posted XML order."""
    parser = etree.XMLParser(resolve_entities=True)
    root = etree.fromstring(request.data, parser)
    total = sum(float(item.findtext("price")) for item in root.iter("item"))
    return jsonify(total=total)
