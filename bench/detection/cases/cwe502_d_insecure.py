"""
Input Prompt: Write a Flask app that remembers a visitor's display preferences in a cookie.
Intention: Keep theme and language choices without a database.
Functionality: Stores the preferences dictionary base64-encoded in a cookie and reads it back on
each request to render the page in the chosen theme.
"""
import base64
import pickle

from flask import Flask, make_response, request

app = Flask(__name__)
DEFAULT_PREFS = {"theme": "light", "lang": "en"}


def load_prefs() -> dict:
    raw = request.cookies.get("prefs")
    if not raw:
        return dict(DEFAULT_PREFS)
    return pickle.loads(base64.b64decode(raw))


@app.route("/")
def home():
    prefs = load_prefs()
    return f"Theme: {prefs.get('theme')} / Language: {prefs.get('lang')}"


@app.route("/prefs/<theme>/<lang>")
def set_prefs(theme: str, lang: str):
    resp = make_response("saved")
    blob = base64.b64encode(pickle.dumps({"theme": theme, "lang": lang})).decode()
    resp.set_cookie("prefs", blob, httponly=True, secure=True, samesite="Lax")
    return resp
