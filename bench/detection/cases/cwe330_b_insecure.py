"""
Input Prompt: Create a Flask endpoint that issues a six-digit one-time login code by SMS.
Intention: Two-step sign-in for the mobile app.
Functionality: Draws the code with random.randint, stores it in the session and sends it.
"""
import random

from flask import Flask, session

from .sms import send_sms

app = Flask(__name__)


@app.post("/otp")
def send_code():
    """Create a one-time code and text it to the user."""
    code = str(random.randint(100000, 999999))
    session["otp"] = code
    send_sms(session["phone"], f"Your code is {code}")
    return {"sent": True}
