"""
Input Prompt: Write a Django view that lists the current user's orders, optionally filtered by status.
Intention: "My orders" page of the shop.
Functionality: Filters the Order model through the ORM by the logged-in user and an optional status
from an allowed set, and renders the list with a template.
"""
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .models import Order

STATUSES = {"pending", "shipped", "delivered", "cancelled"}


@login_required
def my_orders(request):
    orders = Order.objects.filter(customer=request.user).order_by("-created_at")
    status = request.GET.get("status")
    if status in STATUSES:
        orders = orders.filter(status=status)
    return render(request, "shop/my_orders.html", {"orders": orders, "status": status})
