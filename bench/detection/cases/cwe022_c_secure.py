"""
Input Prompt: Write a Django view that serves a theme stylesheet named in the URL query.
Intention: Allow the front end to load one of several theme files.
Functionality: Looks the `theme` GET parameter up in a fixed list of known themes and opens only
a file from that list.
"""
from django.conf import settings
from django.http import Http404, HttpResponse

THEMES = {
    "default": "default.css",
    "dark": "dark.css",
    "contrast": "high-contrast.css",
}


def theme_stylesheet(request):
    """Return the stylesheet of the chosen theme."""
    theme = request.GET.get("theme", "default")
    file_name = THEMES.get(theme)
    if file_name is None:
        raise Http404("unknown theme")
    path = settings.BASE_DIR / "static" / "themes" / file_name
    with open(path, "rb") as css_file:
        content = css_file.read()
    return HttpResponse(content, content_type="text/css")
