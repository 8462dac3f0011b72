"""Reads of the portal: the accounts."""

from __future__ import annotations

from django.db.models import Q

from .models import User


def users_search(*, q: str = "", role: str = ""):
    """Accounts matching a search by user name or full name, and a role."""
    users = User.objects.select_related(
        "street__district", "community__street", "firm", "compound__community__street", "department"
    ).order_by("username")
    if q:
        users = users.filter(Q(username__icontains=q) | Q(full_name__icontains=q))
    if role:
        users = users.filter(role=role)
    return users
