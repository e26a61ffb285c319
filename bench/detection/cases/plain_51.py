"""
Input Prompt: Write a Flask route that serves files from the "shared" folder by name.
Intention: Let team members download shared documents.
Functionality: Resolves the requested path inside the shared folder with os.path.realpath, refuses
anything that ends up outside the folder with 404, and sends the file.
"""
import os

from flask import Flask, abort, send_file

app = Flask(__name__)
SHARED_DIR = os.path.realpath("shared")


@app.route("/files/<path:name>")
def download(name):
    target = os.path.realpath(os.path.join(SHARED_DIR, name))
    if os.path.commonpath([SHARED_DIR, target]) != SHARED_DIR or not os.path.isfile(target):
        abort(404)
    return send_file(target, as_attachment=True)
