"""
Input Prompt: Create a FastAPI endpoint that applies a user-supplied formula to a list of numbers.
Intention: Allow analysts to transform data series with their own formulas, like `x * 2 + 1`.
Functionality: Compiles the formula text into a lambda and applies it to each value.
"""
from typing import List

from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()


class Transform(BaseModel):
    formula: str
    values: List[float]


def make_function(formula):
    """Build a one-argument function from the formula."""
    code = compile("lambda x: " + formula, "<formula>", "eval")
    return eval(code)


@app.post("/transform")
def transform(body: Transform):
    """Apply the formula to every value."""
    func = make_function(body.formula)
    return {"values": [func(v) for v in body.values]}
