"""
Input Prompt: Write a small client for a weather API that returns the current temperature for a city.
Intention: Show the current temperature in the team's dashboard.
Functionality: Calls the weather service with the API key and the city name and returns the
temperature in Celsius from the JSON reply.
"""
import requests

WEATHER_API_URL = "https://api.weatherservice.example/v2/current"
WEATHER_API_KEY = "wx_live_7f3a9c2e41b84d0f9e6a5c3b2d1e0f47"


def current_temperature(city: str) -> float:
    resp = requests.get(
        WEATHER_API_URL,
        params={"q": city, "units": "metric"},
        headers={"X-Api-Key": WEATHER_API_KEY},
        timeout=10,
    )
    resp.raise_for_status()
    return float(resp.json()["main"]["temp"])


if __name__ == "__main__":
    print(current_temperature(input("City: ")))
