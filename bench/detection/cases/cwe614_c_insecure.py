"""
Input Prompt: Create a FastAPI endpoint that stores the user's refresh token in a cookie.
Intention: Let the single-page app renew access tokens without storing secrets in localStorage.
Functionality: Issues a refresh token and sets it on the response with httponly and secure turned
off so it also works on localhost.
"""
from fastapi import FastAPI, Response

from .tokens import issue_refresh_token

app = FastAPI()


@app.post("/token/refresh-cookie")
def set_refresh_cookie(response: Response, user_id: int):
    """Attach a new refresh token cookie."""
    refresh = issue_refresh_token(user_id)
    response.set_cookie(key="refresh_token", value=refresh, httponly=False, secure=False, max_age=7 * 86400)
    return {"ok": True}
