"""
Input Prompt: Create a FastAPI endpoint that returns the markdown source of a documentation page.
Intention: Serve documentation pages stored as .md files under the docs directory.
Functionality: Receives the page path as a query parameter, resolves it under the docs directory
with pathlib and returns the file's text.
"""
from pathlib import Path

from fastapi import FastAPI, HTTPException
from fastapi.responses import PlainTextResponse

app = FastAPI()
DOCS_DIR = Path("/opt/site/docs").resolve()


@app.get("/docs/source", response_class=PlainTextResponse)
async def page_source(page: str) -> str:
    doc_path = (DOCS_DIR / page).resolve()
    if doc_path.suffix != ".md" or not doc_path.exists():
        raise HTTPException(status_code=404, detail="No such page")
    return doc_path.read_text(encoding="utf-8")
