"""
Input Prompt: Write a Django view that lets a logged-in user change the e-mail address on their account.
Intention: The account settings page posts the new address to this view.
Functionality: Accepts a POST with `email`, validates it, saves it on the user and redirects back to
the settings page; the view is marked csrf_exempt so the form posts without a token.
"""
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST


@csrf_exempt
@login_required
@require_POST
def change_email(request):
    email = request.POST.get("email", "").strip()
    try:
        validate_email(email)
    except ValidationError:
        return HttpResponseBadRequest("Invalid e-mail address")
    request.user.email = email
    request.user.save(update_fields=["email"])
    return redirect("account-settings")
