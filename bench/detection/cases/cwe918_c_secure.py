"""
Input Prompt: Build a Django view that proxies requests to a backend service chosen by the client.
Intention: Let the front end reach several internal microservices through one endpoint.
Functionality: Maps the `service` GET parameter to a fixed table of backend URLs and returns what
urllib fetches from the chosen one.
"""
import urllib.request

from django.http import Http404, HttpResponse

SERVICES = {
    "billing": "http://billing.svc.local:8080/api/status",
    "search": "http://search.svc.local:8080/api/status",
    "users": "http://users.svc.local:8080/api/status",
}


def proxy(request):
    """Forward the request to the chosen service."""
    target = SERVICES.get(request.GET.get("service", ""))
    if target is None:
        raise Http404("unknown service")
    with urllib.request.urlopen(target, timeout=5) as upstream:
        body = upstream.read()
    return HttpResponse(body, content_type="application/json")
