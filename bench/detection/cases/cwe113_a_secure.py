"""
Input Prompt: Write a Flask endpoint that sets a language preference header from the query string.
Intention: Tell downstream caches which language variant was served.
Functionality: Reads `lang` from the query, accepts it only if it is one of the supported language
codes, and sets the header from that constant.
"""
from flask import Flask, make_response, request

app = Flask(__name__)
LANGUAGES = ("en", "de", "fr", "es")


@app.route("/home")
def home():
    """Serve the home page in the chosen language."""
    requested = request.args.get("lang", "en")
    lang = requested if requested in LANGUAGES else "en"
    response = make_response("<p>home</p>")
    response.headers["Content-Language"] = lang
    response.headers["X-Served-Variant"] = "home-" + lang
    return response
