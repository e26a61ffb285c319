"""
Input Prompt: Create a FastAPI endpoint that echoes a tracking id from the query back in a response header.
Intention: Help clients correlate their requests with server logs.
Functionality: Accepts the `trace` query parameter only when it is a UUID and sets its canonical
form as the X-Trace-Id header.
"""
import uuid

from fastapi import FastAPI, HTTPException
from fastapi.responses import Response

app = FastAPI()


@app.get("/status")
def status(trace: str = ""):
    """Return the service status with the caller's trace id."""
    try:
        trace_id = str(uuid.UUID(trace))
    except ValueError as error:
        raise HTTPException(status_code=400, detail="trace must be a UUID") from error
    headers = {"X-Trace-Id": trace_id}
    return Response(content='{"status": "ok"}', media_type="application/json", headers=headers)
