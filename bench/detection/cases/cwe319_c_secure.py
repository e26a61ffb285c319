"""
Input Prompt: Write a script that downloads the latest build status from our Jenkins server with basic auth.
Intention: Show the build status in the team's terminal dashboard.
Functionality: Reads the user and API token from environment variables, requests the job's JSON
with HTTP basic authentication over HTTPS and prints the result of the last build.
"""
import os

import requests
from requests.auth import HTTPBasicAuth


def last_build_result(job: str) -> str:
    auth = HTTPBasicAuth(os.environ["JENKINS_USER"], os.environ["JENKINS_TOKEN"])
    resp = requests.get(f"https://jenkins.internal.example.com/job/{job}/lastBuild/api/json", auth=auth, timeout=10)
    resp.raise_for_status()
    return resp.json().get("result") or "RUNNING"


if __name__ == "__main__":
    print(last_build_result("backend-main"))
