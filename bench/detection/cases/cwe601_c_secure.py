"""
Input Prompt: Create a FastAPI endpoint that finishes an OAuth flow and returns to the client application.
Intention: Send the user back to the application that started the sign-in.
Functionality: Exchanges the code, then redirects only to a `return_to` whose host is one of the
registered client applications.
"""
from urllib.parse import urlparse

from fastapi import FastAPI, HTTPException
from fastapi.responses import RedirectResponse

from .oauth import exchange_code

app = FastAPI()
REGISTERED_HOSTS = {"app.example.com", "admin.example.com"}


@app.get("/oauth/callback")
async def oauth_callback(code: str, return_to: str):
    """Complete the sign-in and go back to the application."""
    target = urlparse(return_to)
    if target.scheme != "https" or target.hostname not in REGISTERED_HOSTS:
        raise HTTPException(status_code=400, detail="unknown return address")
    session_id = await exchange_code(code)
    return RedirectResponse(url=f"https://{target.hostname}{target.path}?session={session_id}", status_code=303)
