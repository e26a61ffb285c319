"""
Input Prompt: Write a Flask endpoint that filters log lines with a pattern given by the user.
Intention: Let support staff search application logs from the browser.
Functionality: Escapes the `pattern` query parameter with re.escape so it is matched as literal
text, and returns the matching lines.
"""
import re

from flask import Flask, jsonify, request

app = Flask(__name__)
LOG_FILE = "/var/log/app/app.log"


@app.route("/logs/search")
def search_logs():
    """Return the log lines that contain the text."""
    pattern = re.compile(re.escape(request.args.get("pattern", "")))
    with open(LOG_FILE, encoding="utf-8") as log:
        hits = [line.rstrip() for line in log if pattern.search(line)]
    return jsonify(lines=hits[:500])
