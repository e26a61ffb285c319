"""
Input Prompt: Write a Django view that serves a theme stylesheet named in the URL query.
Intention: Allow the front end to load one of several theme files.
Functionality: Takes the `theme` GET parameter, opens that file under the themes directory and
returns it as CSS.
"""
from django.conf import settings
from django.http import HttpResponse


def theme_stylesheet(request):
    """Return the stylesheet of the chosen theme."""
    theme = request.GET.get("theme", "default.css")
    path = f"{settings.BASE_DIR}/static/themes/{theme}"
    with open(path, "rb") as css_file:
        content = css_file.read()
    return HttpResponse(content, content_type="text/css")
