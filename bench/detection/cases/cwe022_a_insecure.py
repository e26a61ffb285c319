"""
Input Prompt: Write a Flask endpoint that returns the contents of a report file chosen by the user.
Intention: Let analysts download saved reports from the server's reports folder.
Functionality: Reads the `name` query parameter, joins it onto the reports folder and returns the
file's text.
"""
import os

from flask import Flask, request

app = Flask(__name__)
REPORTS_DIR = "/srv/app/reports"


@app.route("/reports")
def read_report():
    """Return the text of the requested report."""
    name = request.args.get("name", "")
    full_path = os.path.join(REPORTS_DIR, name)
    with open(full_path, encoding="utf-8") as handle:
        return handle.read()
