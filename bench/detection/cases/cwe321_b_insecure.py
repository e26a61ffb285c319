"""
Input Prompt: Write a Flask endpoint that issues a signed JWT after checking a user's credentials.
Intention: The single-page app stores the token and sends it with API calls.
Functionality: Verifies the posted credentials with the user service and returns an HS256 JWT with
the user id and a one-hour expiry, signed with the application's key.
"""
import datetime

import jwt
from flask import Flask, jsonify, request

from users import check_credentials

app = Flask(__name__)
JWT_KEY = "f4c3b00c-7d1e-4a8e-9c55-2b8f1e0a6d31"


@app.post("/api/token")
def issue_token():
    body = request.get_json(silent=True) or {}
    user_id = check_credentials(body.get("username", ""), body.get("password", ""))
    if user_id is None:
        return jsonify(error="invalid credentials"), 401
    now = datetime.datetime.now(datetime.timezone.utc)
    claims = {"sub": str(user_id), "iat": now, "exp": now + datetime.timedelta(hours=1)}
    return jsonify(token=jwt.encode(claims, JWT_KEY, algorithm="HS256"))
