"""
Input Prompt: Create a FastAPI endpoint that applies a user-supplied formula to a list of numbers.
Intention: Allow analysts to transform data series with their own formulas, like `x * 2 + 1`.
Functionality: Parses the formula with ast, allows only x, numbers and arithmetic, and evaluates
the tree for each value.
"""
import ast
import operator
from typing import List

from fastapi import FastAPI, HTTPException
from pydantic import BaseModel

app = FastAPI()
BINARY = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv, ast.Pow: operator.pow}


class Transform(BaseModel):
    formula: str
    values: List[float]


def apply(node, x):
    """Evaluate the parsed formula for one value of x."""
    if isinstance(node, ast.Name) and node.id == "x":
        return x
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        return node.value
    if isinstance(node, ast.BinOp) and type(node.op) in BINARY:
        return BINARY[type(node.op)](apply(node.left, x), apply(node.right, x))
    raise HTTPException(status_code=400, detail="formula may use x, numbers and + - * / ** only")


@app.post("/transform")
def transform(body: Transform):
    """Apply the formula to every value."""
    tree = ast.parse(body.formula, mode="eval").body
    return {"values": [apply(tree, v) for v in body.values]}
