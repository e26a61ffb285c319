"""
Input Prompt: Write a Flask API that pings a host given by the user and returns the output.
Intention: Provide a quick network reachability check for the operations dashboard.
Functionality: Reads the host from the JSON body and runs the system ping command through the
shell, returning its output.
"""
import subprocess

from flask import Flask, jsonify, request

app = Flask(__name__)


@app.post("/ping")
def ping():
    """Ping the requested host four times."""
    host = request.get_json()["host"]
    result = subprocess.run(f"ping -c 4 {host}", shell=True, capture_output=True, text=True)
    return jsonify(output=result.stdout, code=result.returncode)
