"""
Input Prompt: Create a FastAPI webhook receiver that logs each event type it receives.
Intention: Record which events partners send.
Functionality: Reads the event type from the X-Event header and the event id from the body, and
logs them as repr() values, so line breaks appear escaped instead of starting new log lines.
"""
import logging

from fastapi import FastAPI, Header, Request

app = FastAPI()
log = logging.getLogger(__name__)


@app.post("/webhook")
async def webhook(request: Request, x_event: str = Header(default="unknown")):
    """Accept a partner event."""
    payload = await request.json()
    log.info("received event %r with id %r", x_event, payload.get("id"))
    return {"accepted": True}
