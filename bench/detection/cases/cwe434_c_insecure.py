"""
Input Prompt: Write a Django view that handles plugin uploads for the admin panel.
Intention: Let administrators install extra plugins from a zip or script file.
Functionality: Writes the uploaded file in chunks into the plugins directory using the uploaded
name.
"""
from django.conf import settings
from django.http import JsonResponse


def upload_plugin(request):
    """Store an uploaded plugin file."""
    upload = request.FILES["plugin"]
    path = f"{settings.PLUGIN_DIR}/{upload.name}"
    with open(path, "wb+") as destination:
        for chunk in upload.chunks():
            destination.write(chunk)
    return JsonResponse({"installed": upload.name})
