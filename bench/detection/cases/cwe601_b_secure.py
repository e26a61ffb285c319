"""
Input Prompt: Build a Django view for a link tracker that counts clicks and forwards to the target URL.
Intention: Measure which outbound links in newsletters are clicked.
Functionality: Forwards only to URLs registered in the ClickCount table (looked up by id), and
increments the counter.
"""
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect

from .models import ClickCount


def track(request, link_id):
    """Count the click and forward the visitor to the registered link."""
    link = get_object_or_404(ClickCount, pk=link_id)
    ClickCount.objects.filter(pk=link.pk).update(count=F("count") + 1)
    return redirect(link.url)
