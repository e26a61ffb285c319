"""
Input Prompt: Write a minimal Flask app with a health check endpoint and run it.
Intention: Starting point for a new microservice.
Functionality: Defines /health and starts the server with debug mode taken from the FLASK_DEBUG
environment variable (off unless set), listening on localhost.
"""
import os

from flask import Flask, jsonify

app = Flask(__name__)


@app.route("/health")
def health():
    """Report that the service is up."""
    return jsonify(status="ok")


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=8000, debug=os.environ.get("FLASK_DEBUG") == "1")
