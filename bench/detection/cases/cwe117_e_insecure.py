"""
Input Prompt: Create a FastAPI webhook receiver that logs the event type and source of each call.
Intention: Record incoming webhook events so operators can trace integrations.
Functionality: Reads the X-Event-Type header and the `source` query parameter, logs them and
acknowledges the event.
"""
import logging

from fastapi import FastAPI, Header

app = FastAPI()
log = logging.getLogger(__name__)


@app.post("/hooks/incoming")
async def incoming(source: str, x_event_type: str = Header(default="unknown")) -> dict:
    log.info("webhook received: type=%s source=%s", x_event_type, source)
    return {"status": "accepted"}
