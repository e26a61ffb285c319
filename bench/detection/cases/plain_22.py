"""
Input Prompt: Create a FastAPI endpoint that returns the weather settings for a city from a config dictionary.
Intention: Serve display settings to the weather widget.
Functionality: Looks the city up in a dictionary of settings and returns it, or 404.
"""
from fastapi import FastAPI, HTTPException

app = FastAPI()
SETTINGS = {
    "berlin": {"units": "metric", "language": "de"},
    "london": {"units": "metric", "language": "en"},
    "new-york": {"units": "imperial", "language": "en"},
}


@app.get("/widget/{city}")
def widget_settings(city: str):
    """Display settings of the city."""
    settings = SETTINGS.get(city.lower())
    if settings is None:
        raise HTTPException(status_code=404, detail="unknown city")
    return {"city": city, **settings}
