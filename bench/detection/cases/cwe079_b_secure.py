"""
Input Prompt: Build a Django view that shows search results with the searched term repeated on the page.
Intention: Tell the user what they searched for above the results.
Functionality: Gets the `q` parameter, finds matching articles and renders a template that
escapes the query text and the titles.
"""
from django.shortcuts import render

from .models import Article


def search(request):
    """List articles whose title contains the query."""
    query = request.GET.get("q", "")
    matches = Article.objects.filter(title__icontains=query)[:20]
    return render(request, "articles/search.html", {"query": query, "articles": matches})
