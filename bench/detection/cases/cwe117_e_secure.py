"""
Input Prompt: Create a FastAPI webhook receiver that logs the event type and source of each call.
Intention: Record incoming webhook events so operators can trace integrations.
Functionality: Reads the X-Event-Type header and the `source` query parameter, neutralises control
characters in both with a small helper, logs them and acknowledges the event.
"""
import logging
import re

from fastapi import FastAPI, Header

app = FastAPI()
log = logging.getLogger(__name__)
_CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]")


def sanitize_for_log(value: str) -> str:
    """Replace CR, LF and other control characters so a value stays on one log line."""
    return _CONTROL_CHARS.sub("_", value)


@app.post("/hooks/incoming")
async def incoming(source: str, x_event_type: str = Header(default="unknown")) -> dict:
    log.info(
        "webhook received: type=%s source=%s",
        sanitize_for_log(x_event_type),
        sanitize_for_log(source),
    )
    return {"status": "accepted"}
