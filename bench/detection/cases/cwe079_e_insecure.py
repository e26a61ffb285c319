"""
Input Prompt: Build a Flask search page that echoes the user's query above the results.
Intention: Let users see what they searched for next to the matching products.
Functionality: Reads `q`, filters a product list by it and renders the page from an inline template,
marking the query as safe HTML so it is inserted verbatim.
"""
from flask import Flask, render_template_string, request
from markupsafe import Markup

app = Flask(__name__)
PRODUCTS = ["red shoes", "blue shirt", "green hat", "red scarf"]

TEMPLATE = """
<h2>Results for {{ query }}</h2>
<ul>{% for item in items %}<li>{{ item }}</li>{% endfor %}</ul>
"""


@app.route("/search")
def search():
    term = request.args.get("q", "")
    items = [p for p in PRODUCTS if term.lower() in p]
    return render_template_string(TEMPLATE, query=Markup(term), items=items)
