"""
Input Prompt: Create a FastAPI endpoint that finishes an OAuth flow and returns to the client application.
Intention: Send the user back to the application that started the sign-in.
Functionality: Exchanges the code, then redirects to the `return_to` query parameter with the
session id appended.
"""
from fastapi import FastAPI
from fastapi.responses import RedirectResponse

from .oauth import exchange_code

app = FastAPI()


@app.get("/oauth/callback")
async def oauth_callback(code: str, return_to: str):
    """Complete the sign-in and go back to the application."""
    session_id = await exchange_code(code)
    return RedirectResponse(url=f"{return_to}?session={session_id}", status_code=303)
