"""
Input Prompt: Build a Django view for a link tracker that counts clicks and forwards to the target URL.
Intention: Measure which outbound links in newsletters are clicked.
Functionality: Increments the counter for the `url` GET parameter and redirects there.
"""
from django.db.models import F
from django.shortcuts import redirect

from .models import ClickCount


def track(request):
    """Count the click and forward the visitor."""
    url = request.GET["url"]
    ClickCount.objects.filter(url=url).update(count=F("count") + 1)
    return redirect(url)
