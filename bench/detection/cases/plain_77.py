"""
Input Prompt: Write a function that creates a six-digit one-time code for e-mail verification.
Intention: Verify the address of new accounts.
Functionality: Draws the code with secrets.randbelow, zero-pads it to six digits and returns it with
its expiry time ten minutes from now.
"""
import secrets
from datetime import datetime, timedelta, timezone


def new_verification_code():
    code = f"{secrets.randbelow(1_000_000):06d}"
    expires_at = datetime.now(timezone.utc) + timedelta(minutes=10)
    return code, expires_at
