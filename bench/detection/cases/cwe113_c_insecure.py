"""
Input Prompt: Create a FastAPI endpoint that echoes a tracking id from the query back in a response header.
Intention: Help clients correlate their requests with server logs.
Functionality: Takes the `trace` query parameter and sets it as the X-Trace-Id header of a
Response.
"""
from fastapi import FastAPI
from fastapi.responses import Response

app = FastAPI()


@app.get("/status")
def status(trace: str = ""):
    """Return the service status with the caller's trace id."""
    headers = {"X-Trace-Id": trace}
    return Response(content='{"status": "ok"}', media_type="application/json", headers=headers)
