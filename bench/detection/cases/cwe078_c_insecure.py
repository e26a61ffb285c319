"""
Input Prompt: Create a FastAPI endpoint that converts an uploaded document name to PDF using LibreOffice.
Intention: Let users convert documents already stored on the server.
Functionality: Receives the document name as a query parameter and starts the converter with
subprocess.Popen in shell mode.
"""
import subprocess

from fastapi import FastAPI

app = FastAPI()


@app.get("/convert")
async def convert(document: str):
    """Convert the named document in the uploads folder to PDF."""
    cmd = "soffice --headless --convert-to pdf --outdir /srv/pdf /srv/uploads/{}".format(document)
    process = subprocess.Popen(cmd, shell=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = process.communicate(timeout=120)
    return {"ok": process.returncode == 0, "log": (out + err).decode(errors="replace")}
