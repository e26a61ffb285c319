"""
Input Prompt: Create a FastAPI endpoint that returns the configuration value for a key from settings.xml.
Intention: Expose read-only settings to internal services.
Functionality: Loads settings.xml with lxml and evaluates a fixed XPath expression, passing the
key as the $key variable.
"""
from fastapi import FastAPI, HTTPException
from lxml import etree

app = FastAPI()
SETTINGS = etree.parse("settings.xml").getroot()


@app.get("/settings/{key}")
def read_setting(key: str):
    """Return the value stored under the key."""
    found = SETTINGS.xpath("/settings/entry[@key=$key]/@value", key=key)
    if not found:
        raise HTTPException(status_code=404, detail="no such key")
    return {"key": key, "value": str(found[0])}
