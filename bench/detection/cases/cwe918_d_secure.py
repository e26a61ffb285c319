"""
Input Prompt: Write a Flask endpoint that fetches a remote image URL and returns its size.
Intention: Let the editor preview how large a linked image is before embedding it.
Functionality: Reads `url` from the JSON body, resolves its host and refuses it if any address is
private, loopback, link-local or reserved (checked with ipaddress), then downloads it with requests
without following redirects and returns the content type and byte length.
"""
import ipaddress
import socket
from urllib.parse import urlparse

import requests
from flask import Flask, jsonify, request

app = Flask(__name__)


def is_public_host(hostname: str) -> bool:
    try:
        infos = socket.getaddrinfo(hostname, None)
    except socket.gaierror:
        return False
    for info in infos:
        addr = ipaddress.ip_address(info[4][0])
        if addr.is_private or addr.is_loopback or addr.is_link_local or addr.is_reserved:
            return False
    return True


def fetch_image(url: str) -> requests.Response:
    return requests.get(url, timeout=5, allow_redirects=False)


@app.post("/api/image-info")
def image_info():
    url = (request.get_json(silent=True) or {}).get("url", "")
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https"):
        return jsonify(error="only http(s) URLs are allowed"), 400
    if not parsed.hostname or not is_public_host(parsed.hostname):
        return jsonify(error="destination not allowed"), 400
    resp = fetch_image(url)
    return jsonify(content_type=resp.headers.get("Content-Type"), size=len(resp.content))
