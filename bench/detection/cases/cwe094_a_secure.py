"""
Input Prompt: Write a Flask calculator API that evaluates an arithmetic expression sent by the client.
Intention: Let the web calculator compute results on the server.
Functionality: Parses the expression with the ast module and evaluates only numbers and the four
arithmetic operators.
"""
import ast
import operator

from flask import Flask, abort, jsonify, request

app = Flask(__name__)
OPERATORS = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.USub: operator.neg,
}


def evaluate(node):
    """Evaluate an arithmetic syntax tree."""
    if isinstance(node, ast.Expression):
        return evaluate(node.body)
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        return node.value
    if isinstance(node, ast.BinOp) and type(node.op) in OPERATORS:
        return OPERATORS[type(node.op)](evaluate(node.left), evaluate(node.right))
    if isinstance(node, ast.UnaryOp) and type(node.op) in OPERATORS:
        return OPERATORS[type(node.op)](evaluate(node.operand))
    raise ValueError("unsupported expression")


@app.post("/calculate")
def calculate():
    """Evaluate the submitted expression."""
    expression = request.json.get("expression", "0")
    try:
        result = evaluate(ast.parse(expression, mode="eval"))
    except (ValueError, SyntaxError, ZeroDivisionError):
        abort(400)
    return jsonify(result=result)
