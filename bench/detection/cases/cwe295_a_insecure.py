"""
Input Prompt: Write a function that downloads JSON from an internal API that uses a self-signed certificate.
Intention: Fetch inventory data for the nightly report.
Functionality: Calls requests.get with certificate verification turned off and returns the JSON.
"""
import requests

API_URL = "https://inventory.internal.example/api/items"


def fetch_inventory(token):
    """Return the inventory list from the internal API."""
    response = requests.get(API_URL, headers={"Authorization": f"Bearer {token}"}, verify=False, timeout=30)
    response.raise_for_status()
    return response.json()
