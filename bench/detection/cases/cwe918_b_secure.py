"""
Input Prompt: Create a FastAPI endpoint that imports an image from a URL for the user's gallery.
Intention: Let users add pictures from other websites.
Functionality: Accepts only https URLs on an allow-list of image hosts, downloads the image with
httpx and stores it.
"""
from urllib.parse import urlparse

import httpx
from fastapi import FastAPI, HTTPException
from pydantic import BaseModel

from .storage import save_image

app = FastAPI()
IMAGE_HOSTS = {"images.unsplash.com", "upload.wikimedia.org", "i.imgur.com"}


class ImportRequest(BaseModel):
    image_url: str


@app.post("/gallery/import")
async def import_image(body: ImportRequest):
    """Fetch the image and add it to the gallery."""
    parts = urlparse(body.image_url)
    if parts.scheme != "https" or parts.hostname not in IMAGE_HOSTS:
        raise HTTPException(status_code=400, detail="images can be imported from known hosts only")
    async with httpx.AsyncClient(timeout=10, follow_redirects=False) as client:
        reply = await client.get(f"https://{parts.hostname}{parts.path}")
    image_id = save_image(reply.content)
    return {"id": image_id}
