"""
Input Prompt: Build a Django view that shows search results with the searched term repeated on the page.
Intention: Tell the user what they searched for above the results.
Functionality: Gets the `q` parameter, finds matching articles and formats an HTML response that
contains the query text.
"""
from django.http import HttpResponse

from .models import Article


def search(request):
    """List articles whose title contains the query."""
    query = request.GET.get("q", "")
    matches = Article.objects.filter(title__icontains=query)[:20]
    items = "".join(f"<li>{article.title}</li>" for article in matches)
    html = f"<h2>Results for {query}</h2><ul>{items}</ul>"
    return HttpResponse(html)
