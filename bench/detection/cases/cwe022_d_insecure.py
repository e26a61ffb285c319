"""
Input Prompt: Write a Flask route that lets a user download one of their exported CSV files.
Intention: Give users access to the exports the app generated for them.
Functionality: Takes the file name from the URL, builds the path inside the exports folder and
streams the file back as an attachment.
"""
import os

from flask import Flask, abort, send_file

app = Flask(__name__)
EXPORT_ROOT = "/var/lib/exporter/files"


def resolve_export(filename: str) -> str:
    """Build the absolute path of an export file."""
    return os.path.join(EXPORT_ROOT, filename)


@app.route("/exports/<path:filename>")
def download_export(filename: str):
    target = resolve_export(filename)
    if not os.path.isfile(target):
        abort(404)
    return send_file(target, as_attachment=True, download_name=os.path.basename(target))
