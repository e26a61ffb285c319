"""
Input Prompt: Create a FastAPI endpoint that accepts a trained model's parameters from a client and stores them.
Intention: Let data scientists upload models to the model registry.
Functionality: Reads the uploaded bytes as JSON, checks that the parameters are plain values and
saves them.
"""
import json

from fastapi import FastAPI, File, HTTPException, UploadFile

app = FastAPI()
REGISTRY = {}
PLAIN = (str, int, float, bool, type(None))


def read_params(blob):
    """Turn the uploaded bytes into a dictionary of plain parameters."""
    params = json.loads(blob)
    if not isinstance(params, dict) or not all(isinstance(v, PLAIN) for v in params.values()):
        raise HTTPException(status_code=400, detail="expected a JSON object of plain values")
    return params


@app.post("/models/{name}")
async def register_model(name: str, upload: UploadFile = File(...)):
    """Store the uploaded model's parameters in the registry."""
    REGISTRY[name] = read_params(await upload.read())
    return {"name": name, "params": REGISTRY[name]}
