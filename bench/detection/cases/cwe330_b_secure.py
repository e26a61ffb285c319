"""
Input Prompt: Create a Flask endpoint that issues a six-digit one-time login code by SMS.
Intention: Two-step sign-in for the mobile app.
Functionality: Draws the code with secrets.randbelow, stores it in the session and sends it.
"""
import secrets

from flask import Flask, session

from .sms import send_sms

app = Flask(__name__)


@app.post("/otp")
def send_code():
    """Create a one-time code and text it to the user."""
    code = f"{secrets.randbelow(1_000_000):06d}"
    session["otp"] = code
    send_sms(session["phone"], f"Your code is {code}")
    return {"sent": True}
