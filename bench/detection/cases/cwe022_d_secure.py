"""
Input Prompt: Write a Flask route that lets a user download one of their exported CSV files.
Intention: Give users access to the exports the app generated for them.
Functionality: Takes the file name from the URL, cleans it with secure_filename, resolves the path
and checks with os.path.commonpath that it is still inside the exports folder before streaming it.
"""
import os

from flask import Flask, abort, send_file
from werkzeug.utils import secure_filename

app = Flask(__name__)
EXPORT_ROOT = "/var/lib/exporter/files"


def resolve_export(filename: str) -> str:
    """Build the absolute path of an export file, refusing anything outside EXPORT_ROOT."""
    safe_name = secure_filename(filename)
    if not safe_name:
        abort(400)
    root = os.path.realpath(EXPORT_ROOT)
    candidate = os.path.realpath(os.path.join(root, safe_name))
    if os.path.commonpath([root, candidate]) != root:
        abort(403)
    return candidate


@app.route("/exports/<path:filename>")
def download_export(filename: str):
    target = resolve_export(filename)
    if not os.path.isfile(target):
        abort(404)
    return send_file(target, as_attachment=True, download_name=os.path.basename(target))
