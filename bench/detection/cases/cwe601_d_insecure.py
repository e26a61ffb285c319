"""
Input Prompt: Write a Django login view that sends the user back to the page they came from.
Intention: After logging in, return users to the page that required authentication.
Functionality: Authenticates the posted credentials, logs the user in and redirects to the `next`
parameter, or to the dashboard when it is absent.
"""
from django.contrib.auth import authenticate, login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render


def login_view(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "accounts/login.html")
    user = authenticate(
        request,
        username=request.POST.get("username"),
        password=request.POST.get("password"),
    )
    if user is None:
        return render(request, "accounts/login.html", {"error": "Invalid credentials"})
    login(request, user)
    next_url = request.POST.get("next") or request.GET.get("next")
    if next_url:
        return redirect(next_url)
    return redirect("dashboard")
