"""
Input Prompt: Write a Django view that records which search terms users enter.
Intention: Collect search statistics from the logs.
Functionality: Takes the `q` parameter, escapes carriage returns and line feeds, and logs it with
the logging module's lazy arguments before running the search.
"""
import logging

from django.http import JsonResponse

from .search import run_search

logger = logging.getLogger("search")


def search_view(request):
    """Run a search and log its terms."""
    term = request.GET.get("q", "")
    safe_term = term.replace("\r", "\\r").replace("\n", "\\n")
    logger.info("search term: %s", safe_term)
    return JsonResponse({"results": run_search(term)})
