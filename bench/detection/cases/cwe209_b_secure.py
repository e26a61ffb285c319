"""
Input Prompt: Create a FastAPI endpoint that runs a report query and returns the rows.
Intention: Used by the analytics dashboard.
Functionality: Runs the named report through the reporting module; when it fails, it logs the
traceback on the server under a random error id and returns only that id in the JSON body with
status 500, so support can find the details in the logs.
"""
import logging
import uuid

from fastapi import FastAPI
from fastapi.responses import JSONResponse

from reporting import run_report

app = FastAPI()
logger = logging.getLogger(__name__)


@app.get("/reports/{name}")
def get_report(name: str):
    try:
        rows = run_report(name)
    except Exception:
        error_id = uuid.uuid4().hex
        logger.exception("report %s failed (error id %s)", name, error_id)
        return JSONResponse({"error": "report failed", "error_id": error_id}, status_code=500)
    return {"rows": rows}
