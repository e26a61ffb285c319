"""
Input Prompt: Create a FastAPI dependency that returns the current user from a JWT access token.
Intention: Identify the caller of every protected endpoint.
Functionality: Reads the token from the OAuth2 bearer scheme and decodes it with python-jose,
verifying the signature with the server's key and rejecting invalid tokens.
"""
import os

from fastapi import Depends, FastAPI, HTTPException
from fastapi.security import OAuth2PasswordBearer
from jose import JWTError, jwt

app = FastAPI()
oauth2_scheme = OAuth2PasswordBearer(tokenUrl="token")
SIGNING_KEY = os.environ["JWT_SIGNING_KEY"]


def current_user(token: str = Depends(oauth2_scheme)):
    """The user named in the token."""
    try:
        claims = jwt.decode(token, SIGNING_KEY, algorithms=["HS256"])
    except JWTError as error:
        raise HTTPException(status_code=401, detail="invalid token") from error
    return {"username": claims.get("sub"), "scopes": claims.get("scopes", [])}


@app.get("/me")
def me(user: dict = Depends(current_user)):
    """Return the caller's own profile."""
    return user
