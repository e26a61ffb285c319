"""
Input Prompt: Write a Flask API endpoint that checks whether a host is reachable with ping.
Intention: Give the support team a quick reachability check from the server.
Functionality: Reads the host from the JSON body, runs ping with a count of 2 as an argument list
(no shell, and "--" so the host cannot be read as an option) and returns whether it succeeded
along with the command's output.
"""
import subprocess
from typing import Any

from flask import Flask, jsonify, request

app = Flask(__name__)


def run_ping(host: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["ping", "-c", "2", "-W", "2", "--", host], capture_output=True, text=True, timeout=10
    )


@app.post("/api/ping")
def ping_host() -> Any:
    payload = request.get_json(silent=True) or {}
    host = str(payload.get("host", "")).strip()
    if not host:
        return jsonify(error="host is required"), 400
    result = run_ping(host)
    return jsonify(reachable=result.returncode == 0, output=result.stdout)
