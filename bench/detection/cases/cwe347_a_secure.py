"""
Input Prompt: Write a Flask decorator that reads the user id from a JWT in the Authorization header.
Intention: Protect API routes so only signed-in users can call them.
Functionality: Decodes the bearer token with PyJWT, verifying its HS256 signature with the app's
secret key, and stores the user id on flask.g.
"""
from functools import wraps

import jwt
from flask import abort, current_app, g, request


def login_required(view):
    """Require a valid bearer token on the decorated view."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        header = request.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            abort(401)
        try:
            claims = jwt.decode(header[7:], current_app.config["SECRET_KEY"], algorithms=["HS256"])
        except jwt.InvalidTokenError:
            abort(401)
        g.user_id = claims["sub"]
        return view(*args, **kwargs)

    return wrapper
