"""
Input Prompt: Create a FastAPI endpoint that accepts document uploads and stores them on disk.
Intention: Collect signed contracts from customers.
Functionality: Reads the UploadFile and writes its bytes to the documents folder under its
original file name.
"""
from pathlib import Path

from fastapi import FastAPI, File, UploadFile

app = FastAPI()
DOCUMENTS = Path("/srv/documents")


@app.post("/documents")
async def upload_document(file: UploadFile = File(...)):
    """Save the uploaded document."""
    target = DOCUMENTS / file.filename
    with open(target, "wb") as out:
        out.write(await file.read())
    return {"stored": file.filename}
