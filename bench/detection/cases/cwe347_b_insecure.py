"""
Input Prompt: Create a FastAPI dependency that returns the current user from a JWT access token.
Intention: Identify the caller of every protected endpoint.
Functionality: Reads the token from the OAuth2 bearer scheme and decodes it with python-jose
without verifying the signature.
"""
from fastapi import Depends, FastAPI
from fastapi.security import OAuth2PasswordBearer
from jose import jwt

app = FastAPI()
oauth2_scheme = OAuth2PasswordBearer(tokenUrl="token")


def current_user(token: str = Depends(oauth2_scheme)):
    """The user named in the token."""
    claims = jwt.get_unverified_claims(token)
    return {"username": claims.get("sub"), "scopes": claims.get("scopes", [])}


@app.get("/me")
def me(user: dict = Depends(current_user)):
    """Return the caller's own profile."""
    return user
