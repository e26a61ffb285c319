"""
Input Prompt: Write a Django view that handles plugin uploads for the admin panel.
Intention: Let administrators install extra plugins from a zip file.
Functionality: Accepts only .zip uploads below a size limit from staff users, and stores them in
the plugins directory under a generated name through Django's storage API.
"""
import uuid

from django.contrib.admin.views.decorators import staff_member_required
from django.core.files.storage import FileSystemStorage
from django.conf import settings
from django.http import HttpResponseBadRequest, JsonResponse

MAX_PLUGIN_BYTES = 5 * 1024 * 1024


@staff_member_required
def upload_plugin(request):
    """Store an uploaded plugin archive."""
    upload = request.FILES["plugin"]
    if not upload.name.lower().endswith(".zip") or upload.size > MAX_PLUGIN_BYTES:
        return HttpResponseBadRequest("plugins must be .zip files under 5 MB")
    storage = FileSystemStorage(location=settings.PLUGIN_DIR)
    stored = storage.save(f"{uuid.uuid4().hex}.zip", upload)
    return JsonResponse({"installed": stored})
