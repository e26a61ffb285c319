"""
Input Prompt: Write a Django view that shows a user's own profile page.
Intention: Let signed-in users see their account details.
Functionality: Requires login and renders the profile template with the current user's data.
"""
from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def profile(request):
    """Render the signed-in user's profile."""
    context = {
        "username": request.user.username,
        "email": request.user.email,
        "joined": request.user.date_joined,
    }
    return render(request, "accounts/profile.html", context)
