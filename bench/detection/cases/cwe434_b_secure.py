"""
Input Prompt: Create a FastAPI endpoint that accepts document uploads and stores them on disk.
Intention: Collect signed contracts from customers.
Functionality: Accepts only PDF files below 10 MB, stores each under a generated name in the
documents folder and returns that name.
"""
import uuid
from pathlib import Path

from fastapi import FastAPI, File, HTTPException, UploadFile

app = FastAPI()
DOCUMENTS = Path("/srv/documents")
MAX_BYTES = 10 * 1024 * 1024


@app.post("/documents")
async def upload_document(file: UploadFile = File(...)):
    """Save the uploaded document."""
    data = await file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES or not data.startswith(b"%PDF-"):
        raise HTTPException(status_code=400, detail="upload a PDF smaller than 10 MB")
    stored = f"{uuid.uuid4().hex}.pdf"
    with open(DOCUMENTS / stored, "wb") as out:
        out.write(data)
    return {"stored": stored}
