"""
Input Prompt: Write a minimal Flask app with a health check endpoint and run it.
Intention: Starting point for a new microservice.
Functionality: Defines /health and starts the development server with debug mode on, listening on
all interfaces.
"""
from flask import Flask, jsonify

app = Flask(__name__)


@app.route("/health")
def health():
    """Report that the service is up."""
    return jsonify(status="ok")


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=8000, debug=True)
