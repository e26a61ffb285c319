"""
Input Prompt: Write a function that gets the current exchange rate between two currencies from a
public API.
Intention: Show prices in the visitor's currency.
Functionality: Calls the fixed HTTPS endpoint with the currency codes as query parameters (checked
against ISO-4217 shape first) and returns the rate as a float.
"""
import re

import requests

API_URL = "https://api.exchangerate.example.com/v1/latest"
CODE = re.compile(r"[A-Z]{3}")


def exchange_rate(base, target):
    if not CODE.fullmatch(base) or not CODE.fullmatch(target):
        raise ValueError("currency codes are three capital letters")
    resp = requests.get(API_URL, params={"base": base, "symbols": target}, timeout=5)
    resp.raise_for_status()
    return float(resp.json()["rates"][target])
