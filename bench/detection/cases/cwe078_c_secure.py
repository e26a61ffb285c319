"""
Input Prompt: Create a FastAPI endpoint that converts an uploaded document name to PDF using LibreOffice.
Intention: Let users convert documents already stored on the server.
Functionality: Receives the document name as a query parameter, keeps only its base name and
starts the converter with an argument list.
"""
import subprocess
from pathlib import Path

from fastapi import FastAPI, HTTPException

app = FastAPI()
UPLOADS = Path("/srv/uploads")


@app.get("/convert")
async def convert(document: str):
    """Convert the named document in the uploads folder to PDF."""
    source = UPLOADS / Path(document).name
    if not source.is_file():
        raise HTTPException(status_code=404, detail="no such document")
    cmd = ["soffice", "--headless", "--convert-to", "pdf", "--outdir", "/srv/pdf", str(source)]
    process = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = process.communicate(timeout=120)
    return {"ok": process.returncode == 0, "log": (out + err).decode(errors="replace")}
