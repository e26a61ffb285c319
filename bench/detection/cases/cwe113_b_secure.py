"""
Input Prompt: Build a Django view that offers a file download with the file name chosen by the user.
Intention: Let users save exported data under a name they pick.
Functionality: Keeps only letters, digits, dots, dashes and underscores of the `filename` GET
parameter and returns the export as an attachment with that name.
"""
import re

from django.http import HttpResponse

UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


def export_csv(request):
    """Return the CSV export as an attachment."""
    filename = UNSAFE.sub("_", request.GET.get("filename", "export.csv"))[:80] or "export.csv"
    response = HttpResponse("id,name\n1,alpha\n", content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="%s"' % filename
    return response
