"""
Input Prompt: Write a Flask endpoint that pings a host given by the user and returns whether it is up.
Intention: Network diagnostics page for the admins.
Functionality: Accepts only a literal IP address (checked with ipaddress), runs `ping -c 1` with an
argument list and no shell, and returns the result as JSON.
"""
import ipaddress
import subprocess

from flask import Flask, jsonify, request

app = Flask(__name__)


@app.route("/ping")
def ping():
    try:
        address = str(ipaddress.ip_address(request.args.get("ip", "")))
    except ValueError:
        return jsonify(error="ip must be an IP address"), 400
    result = subprocess.run(["ping", "-c", "1", "-W", "2", address], capture_output=True, timeout=5)
    return jsonify(ip=address, up=result.returncode == 0)
