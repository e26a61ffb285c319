"""
Input Prompt: Write a Flask endpoint that returns the contents of a report file chosen by the user.
Intention: Let analysts download saved reports from the server's reports folder.
Functionality: Reads the `name` query parameter and serves the file with send_from_directory, which
refuses any name that would leave the reports folder.
"""
from flask import Flask, request, send_from_directory

app = Flask(__name__)
REPORTS_DIR = "/srv/app/reports"


@app.route("/reports")
def read_report():
    """Return the requested report, confined to the reports folder."""
    name = request.args.get("name", "")
    return send_from_directory(REPORTS_DIR, name, mimetype="text/plain")
