"""
Input Prompt: Build a Django view that proxies requests to a backend service chosen by the client.
Intention: Let the front end reach several internal microservices through one endpoint.
Functionality: Combines the `service` GET parameter into the backend URL and returns what
urllib fetches from it.
"""
import urllib.request

from django.http import HttpResponse


def proxy(request):
    """Forward the request to the chosen service."""
    service = request.GET.get("service", "")
    target = "http://" + service + "/api/status"
    with urllib.request.urlopen(target, timeout=5) as upstream:
        body = upstream.read()
    return HttpResponse(body, content_type="application/json")
