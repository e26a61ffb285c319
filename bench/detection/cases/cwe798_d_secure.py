"""
Input Prompt: Write a small client for a weather API that returns the current temperature for a city.
Intention: Show the current temperature in the team's dashboard.
Functionality: Calls the weather service with the API key read from the WEATHER_API_KEY environment
variable and the city name and returns the temperature in Celsius from the JSON reply.
"""
import os

import requests

WEATHER_API_URL = "https://api.weatherservice.example/v2/current"


def _api_key() -> str:
    key = os.environ.get("WEATHER_API_KEY")
    if not key:
        raise RuntimeError("Set WEATHER_API_KEY in the environment")
    return key


def current_temperature(city: str) -> float:
    resp = requests.get(
        WEATHER_API_URL,
        params={"q": city, "units": "metric"},
        headers={"X-Api-Key": _api_key()},
        timeout=10,
    )
    resp.raise_for_status()
    return float(resp.json()["main"]["temp"])


if __name__ == "__main__":
    print(current_temperature(input("City: ")))
