"""
Input Prompt: Write a Flask endpoint that fetches a remote image URL and returns its size.
Intention: Let the editor preview how large a linked image is before embedding it.
Functionality: Reads `url` from the JSON body, downloads it with requests and returns the
content type and byte length.
"""
from urllib.parse import urlparse

import requests
from flask import Flask, jsonify, request

app = Flask(__name__)


def fetch_image(url: str) -> requests.Response:
    return requests.get(url, timeout=5, allow_redirects=False)


@app.post("/api/image-info")
def image_info():
    url = (request.get_json(silent=True) or {}).get("url", "")
    if urlparse(url).scheme not in ("http", "https"):
        return jsonify(error="only http(s) URLs are allowed"), 400
    resp = fetch_image(url)
    return jsonify(content_type=resp.headers.get("Content-Type"), size=len(resp.content))
