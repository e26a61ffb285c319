"""
Input Prompt: Write a Django view that records which search terms users enter.
Intention: Collect search statistics from the logs.
Functionality: Takes the `q` parameter and logs it with %-formatting before running the search.
"""
import logging

from django.http import JsonResponse

from .search import run_search

logger = logging.getLogger("search")


def search_view(request):
    """Run a search and log its terms."""
    term = request.GET.get("q", "")
    logger.info("search term: %s" % term)
    return JsonResponse({"results": run_search(term)})
