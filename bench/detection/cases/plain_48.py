"""
Input Prompt: Write a Flask webhook endpoint that verifies the HMAC-SHA256 signature of the payload.
Intention: Accept events from the payment provider only.
Functionality: Computes the HMAC of the raw body with the secret from the WEBHOOK_SECRET environment
variable, compares it with the X-Signature header using hmac.compare_digest and queues the event.
"""
import hashlib
import hmac
import os

from flask import Flask, abort, jsonify, request

app = Flask(__name__)
EVENTS = []


def valid_signature(body: bytes, signature: str) -> bool:
    secret = os.environ["WEBHOOK_SECRET"].encode()
    expected = hmac.new(secret, body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature)


@app.post("/webhooks/payments")
def payment_webhook():
    signature = request.headers.get("X-Signature", "")
    if not valid_signature(request.get_data(), signature):
        abort(401)
    EVENTS.append(request.get_json(force=True))
    return jsonify(received=True)
