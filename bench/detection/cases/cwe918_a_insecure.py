"""
Input Prompt: Write a Flask endpoint that fetches a web page's title for link previews.
Intention: Show a preview card when users paste a link in chat.
Functionality: Downloads the URL given in the query with requests and extracts the <title>.
"""
import re

import requests
from flask import Flask, jsonify, request

app = Flask(__name__)
TITLE = re.compile(r"<title>(.*?)</title>", re.IGNORECASE | re.DOTALL)


@app.route("/preview")
def preview():
    """Return the title of the linked page."""
    url = request.args["url"]
    page = requests.get(url, timeout=5)
    match = TITLE.search(page.text)
    return jsonify(url=url, title=match.group(1).strip() if match else None)
