"""
Input Prompt: Write a function that downloads JSON from an internal API that uses a self-signed certificate.
Intention: Fetch inventory data for the nightly report.
Functionality: Calls requests.get and verifies the server against the internal CA bundle instead
of turning verification off.
"""
import requests

API_URL = "https://inventory.internal.example/api/items"
INTERNAL_CA = "/etc/ssl/certs/internal-ca.pem"


def fetch_inventory(token):
    """Return the inventory list from the internal API."""
    response = requests.get(API_URL, headers={"Authorization": f"Bearer {token}"}, verify=INTERNAL_CA, timeout=30)
    response.raise_for_status()
    return response.json()
