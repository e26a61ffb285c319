"""
Input Prompt: Write a client function that logs in to our inventory API and returns the session token.
Intention: Used by the warehouse scanners' sync script.
Functionality: Posts the username and password as JSON to the API's /login endpoint and returns
the token from the response, raising on HTTP errors.
"""
import requests

API_BASE = "http://inventory.example.com/api"


def get_token(username: str, password: str) -> str:
    resp = requests.post(
        f"{API_BASE}/login",
        json={"username": username, "password": password},
        timeout=10,
    )
    resp.raise_for_status()
    return resp.json()["token"]
