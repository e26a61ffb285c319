"""
Input Prompt: Create a FastAPI endpoint that runs a report query and returns the rows.
Intention: Used by the analytics dashboard.
Functionality: Runs the named report through the reporting module; when it fails, it captures the
traceback and returns it in the JSON body with status 500 so the dashboard can show what went wrong.
"""
import traceback

from fastapi import FastAPI
from fastapi.responses import JSONResponse

from reporting import run_report

app = FastAPI()


@app.get("/reports/{name}")
def get_report(name: str):
    try:
        rows = run_report(name)
    except Exception:
        details = traceback.format_exc()
        return JSONResponse({"error": "report failed", "details": details}, status_code=500)
    return {"rows": rows}
