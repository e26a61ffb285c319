"""
Input Prompt: Write a Flask endpoint that receives GitHub webhooks and verifies their signature.
Intention: Only trust push events that GitHub signed with our webhook secret.
Functionality: Computes the HMAC-SHA256 of the raw body with the secret from the environment,
compares it with the X-Hub-Signature-256 header in constant time (hmac.compare_digest) and queues
the event when they match.
"""
import hashlib
import hmac
import os

from flask import Flask, abort, jsonify, request

from queue_client import enqueue

app = Flask(__name__)


@app.post("/webhooks/github")
def github_webhook():
    secret = os.environ["GITHUB_WEBHOOK_SECRET"].encode()
    expected = "sha256=" + hmac.new(secret, request.get_data(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(request.headers.get("X-Hub-Signature-256", ""), expected):
        abort(401)
    enqueue(request.get_json())
    return jsonify(status="queued")
