"""
Input Prompt: Write a Flask endpoint that sets a language preference header from the query string.
Intention: Tell downstream caches which language variant was served.
Functionality: Reads `lang` from the query and copies it into a custom response header.
"""
from flask import Flask, make_response, request

app = Flask(__name__)


@app.route("/home")
def home():
    """Serve the home page in the chosen language."""
    lang = request.args.get("lang", "en")
    response = make_response("<p>home</p>")
    response.headers["Content-Language"] = lang
    response.headers["X-Served-Variant"] = "home-" + lang
    return response
