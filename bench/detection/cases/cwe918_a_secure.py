"""
Input Prompt: Write a Flask endpoint that fetches a web page's title for link previews.
Intention: Show a preview card when users paste a link in chat.
Functionality: Accepts only http(s) URLs whose host resolves to public addresses, downloads the
page with requests without following redirects, and extracts the <title>.
"""
import ipaddress
import re
import socket
from urllib.parse import urlparse

import requests
from flask import Flask, abort, jsonify, request

app = Flask(__name__)
TITLE = re.compile(r"<title>(.*?)</title>", re.IGNORECASE | re.DOTALL)


def is_public_url(url):
    """True when the URL is http(s) and its host resolves only to public addresses."""
    parts = urlparse(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return False
    infos = socket.getaddrinfo(parts.hostname, parts.port or 443)
    return all(ipaddress.ip_address(info[4][0]).is_global for info in infos)


@app.route("/preview")
def preview():
    """Return the title of the linked page."""
    url = request.args["url"]
    if not is_public_url(url):
        abort(400)
    page = requests.get(url, timeout=5, allow_redirects=False)
    match = TITLE.search(page.text)
    return jsonify(url=url, title=match.group(1).strip() if match else None)
