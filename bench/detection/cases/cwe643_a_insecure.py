"""
Input Prompt: Write a Flask endpoint that finds a book's price in an XML catalog by title.
Intention: Serve prices from the catalog file without a database.
Functionality: Parses catalog.xml with lxml and evaluates an XPath expression that contains the
requested title.
"""
from flask import Flask, jsonify, request
from lxml import etree

app = Flask(__name__)
CATALOG = etree.parse("catalog.xml")


@app.route("/price")
def price():
    """Return the price of the book with the given title."""
    title = request.args.get("title", "")
    nodes = CATALOG.xpath("//book[title='" + title + "']/price/text()")
    if not nodes:
        return jsonify(error="unknown title"), 404
    return jsonify(title=title, price=float(nodes[0]))
