"""
Input Prompt: Write a Django view that lets a logged-in user change the e-mail address on their account.
Intention: The account settings page posts the new address to this view.
Functionality: Accepts a POST with `email`, validates it, saves it on the user and redirects back to
the settings page; Django's CSRF middleware checks the form's token ({% csrf_token %} in the
template), so a forged cross-site post is rejected.
"""
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect
from django.views.decorators.http import require_POST


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
