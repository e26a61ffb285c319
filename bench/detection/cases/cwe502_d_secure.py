"""
Input Prompt: Write a Flask app that remembers a visitor's display preferences in a cookie.
Intention: Keep theme and language choices without a database.
Functionality: Stores the preferences dictionary as base64-encoded JSON in a cookie and reads it
back (JSON cannot carry code) on each request to render the page in the chosen theme.
"""
import base64
import binascii
import json

from flask import Flask, make_response, request

app = Flask(__name__)
DEFAULT_PREFS = {"theme": "light", "lang": "en"}


def load_prefs() -> dict:
    raw = request.cookies.get("prefs")
    if not raw:
        return dict(DEFAULT_PREFS)
    try:
        data = json.loads(base64.b64decode(raw))
    except (binascii.Error, ValueError):
        return dict(DEFAULT_PREFS)
    return data if isinstance(data, dict) else dict(DEFAULT_PREFS)


@app.route("/")
def home():
    prefs = load_prefs()
    return f"Theme: {prefs.get('theme')} / Language: {prefs.get('lang')}"


@app.route("/prefs/<theme>/<lang>")
def set_prefs(theme: str, lang: str):
    resp = make_response("saved")
    blob = base64.b64encode(json.dumps({"theme": theme, "lang": lang}).encode()).decode()
    resp.set_cookie("prefs", blob, httponly=True, secure=True, samesite="Lax")
    return resp
