"""
Input Prompt: Write a Flask calculator API that evaluates an arithmetic expression sent by the client.
Intention: Let the web calculator compute results on the server.
Functionality: Reads the expression from the JSON body and evaluates it with eval, returning the
result.
"""
from flask import Flask, jsonify, request

app = Flask(__name__)


@app.post("/calculate")
def calculate():
    """Evaluate the submitted expression."""
    expression = request.json.get("expression", "0")
    result = eval(expression)
    return jsonify(result=result)
