"""
Input Prompt: Write a FastAPI endpoint that imports a saved workspace uploaded by the user.
Intention: Let users restore a workspace they exported earlier.
Functionality: Accepts an uploaded workspace file, parses it as JSON (data only, no objects) and
returns the names of the projects it contains.
"""
import json

from fastapi import FastAPI, File, HTTPException, UploadFile

app = FastAPI()


def parse_workspace(blob: bytes) -> dict:
    workspace = json.loads(blob)
    if not isinstance(workspace, dict):
        raise ValueError("workspace must be a mapping")
    return workspace


@app.post("/workspace/import")
async def import_workspace(upload: UploadFile = File(...)) -> dict:
    blob = await upload.read()
    try:
        workspace = parse_workspace(blob)
    except Exception as exc:
        raise HTTPException(status_code=400, detail="invalid workspace file") from exc
    return {"projects": sorted(workspace.get("projects", {}))}
