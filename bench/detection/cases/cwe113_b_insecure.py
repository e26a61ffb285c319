"""
Input Prompt: Build a Django view that offers a file download with the file name chosen by the user.
Intention: Let users save exported data under a name they pick.
Functionality: Builds the Content-Disposition header from the `filename` GET parameter and returns
the export as an attachment.
"""
from django.http import HttpResponse


def export_csv(request):
    """Return the CSV export as an attachment."""
    filename = request.GET.get("filename", "export.csv")
    response = HttpResponse("id,name\n1,alpha\n", content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="%s"' % filename
    return response
