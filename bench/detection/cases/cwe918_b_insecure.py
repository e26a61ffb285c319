"""
Input Prompt: Create a FastAPI endpoint that imports an image from a URL for the user's gallery.
Intention: Let users add pictures from other websites.
Functionality: Downloads the image from the URL in the request body with httpx and stores it.
"""
import httpx
from fastapi import FastAPI
from pydantic import BaseModel

from .storage import save_image

app = FastAPI()


class ImportRequest(BaseModel):
    image_url: str


@app.post("/gallery/import")
async def import_image(body: ImportRequest):
    """Fetch the image and add it to the gallery."""
    async with httpx.AsyncClient(timeout=10) as client:
        reply = await client.get(body.image_url)
    image_id = save_image(reply.content)
    return {"id": image_id}
