"""
Input Prompt: Write a function that validates a JWT access token and returns its subject.
Intention: Authenticate API requests from the mobile app.
Functionality: Decodes the token with PyJWT using the key from the environment, only the HS256
algorithm, and requires the exp and sub claims; returns the subject or None for an invalid token.
"""
import os

import jwt


def token_subject(token):
    try:
        claims = jwt.decode(
            token,
            os.environ["JWT_SIGNING_KEY"],
            algorithms=["HS256"],
            options={"require": ["exp", "sub"]},
        )
    except jwt.InvalidTokenError:
        return None
    return claims["sub"]
