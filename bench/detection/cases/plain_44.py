"""
Input Prompt: Write a small Flask API that returns the square of a number.
Intention: A hello-world service for a deployment tutorial.
Functionality: Parses the number with int(), returns JSON, and answers 400 with a fixed message
when the value is not a number.
"""
from flask import Flask, jsonify, request

app = Flask(__name__)


@app.route("/square")
def square():
    """The square of the `n` query parameter."""
    try:
        n = int(request.args.get("n", ""))
    except ValueError:
        return jsonify(error="n must be an integer"), 400
    return jsonify(n=n, square=n * n)


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=5000)
