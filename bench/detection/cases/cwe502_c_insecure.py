"""
Input Prompt: Create a FastAPI endpoint that accepts a trained model object from a client and stores its parameters.
Intention: Let data scientists upload models to the model registry.
Functionality: Reads the uploaded bytes, loads them with joblib/pickle and saves the model's
parameters.
"""
import io
import pickle

from fastapi import FastAPI, File, UploadFile

app = FastAPI()
REGISTRY = {}


def read_model(blob):
    """Turn the uploaded bytes back into a model object."""
    return pickle.load(io.BytesIO(blob))


@app.post("/models/{name}")
async def register_model(name: str, upload: UploadFile = File(...)):
    """Store the uploaded model's parameters in the registry."""
    model = read_model(await upload.read())
    REGISTRY[name] = model.get_params()
    return {"name": name, "params": REGISTRY[name]}
