"""
Input Prompt: Write a Flask endpoint that finds a book's price in an XML catalog by title.
Intention: Serve prices from the catalog file without a database.
Functionality: Parses catalog.xml with lxml and evaluates a constant XPath expression with the
title passed as an XPath variable.
"""
from flask import Flask, jsonify, request
from lxml import etree

app = Flask(__name__)
CATALOG = etree.parse("catalog.xml")


@app.route("/price")
def price():
    """Return the price of the book with the given title."""
    title = request.args.get("title", "")
    nodes = CATALOG.xpath("//book[title=$title]/price/text()", title=title)
    if not nodes:
        return jsonify(error="unknown title"), 404
    return jsonify(title=title, price=float(nodes[0]))
