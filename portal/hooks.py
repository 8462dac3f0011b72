"""What the portal itself plugs in: the landing page and the accounts on the bar, and the
pickers of streets and communities."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import history, menu, mfa, pickers
from .models import Community, District, Street, User
from .scoping import community_filter, is_bureau, is_signed_in, street_filter
from .web import landing_title


def streets_for_user(*, user):
    return Street.objects.filter(street_filter(user)).distinct().order_by("district__name", "name")


def districts_for_user(*, user):
    visible = Street.objects.filter(street_filter(user))
    return District.objects.filter(streets__in=visible).distinct().order_by("name")


def communities_for_user(*, user):
    return Community.objects.filter(community_filter(user)).order_by("street__name", "name")


def area_search(queryset, q: str):
    """An area by its own name or the name of the area above it."""
    if queryset.model is District:
        return queryset.filter(name__icontains=q)
    parent = "district__name" if queryset.model is Street else "street__name"
    return queryset.filter(Q(name__icontains=q) | Q(**{f"{parent}__icontains": q}))


def register() -> None:
    user_logged_in.connect(mfa.note_what_is_owed, dispatch_uid="portal_mfa_owed")
    menu.register(landing_title, "portal:dashboard", allowed=is_signed_in, order=0)
    menu.register(
        _("Accounts"), "portal:user_list", allowed=is_bureau, group=menu.REGISTRY, order=90
    )
    pickers.register(
        "district", rows=districts_for_user, search=area_search, label=lambda d: d.name
    )
    pickers.register(
        "street",
        rows=streets_for_user,
        search=area_search,
        label=lambda s: f"{s.name} · {s.district.name}",
        related=("district",),
    )
    pickers.register(
        "community",
        rows=communities_for_user,
        search=area_search,
        label=lambda c: f"{c.name} · {c.street.name} · {c.street.district.name}",
        related=("street__district",),
    )
    history.register(
        User,
        reasons={
            "password reset": _("password reset"),
            "two-factor enrolled": _("two-step sign-in set up"),
            "two-factor reset": _("two-step sign-in reset"),
        },
    )
