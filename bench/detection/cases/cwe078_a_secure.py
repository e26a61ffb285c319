"""
Input Prompt: Write a Flask API that pings a host given by the user and returns the output.
Intention: Provide a quick network reachability check for the operations dashboard.
Functionality: Validates the host name, then runs ping with an argument list (no shell) and
returns its output.
"""
import re
import subprocess

from flask import Flask, abort, jsonify, request

app = Flask(__name__)
HOST_PATTERN = re.compile(r"^[A-Za-z0-9.-]{1,253}$")


@app.post("/ping")
def ping():
    """Ping the requested host four times."""
    host = request.get_json()["host"]
    if not HOST_PATTERN.fullmatch(host) or host.startswith("-"):
        abort(400)
    result = subprocess.run(["ping", "-c", "4", host], capture_output=True, text=True, check=False)
    return jsonify(output=result.stdout, code=result.returncode)
