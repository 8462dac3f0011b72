"""What a signed-in user may see and change: the one place that decides it.

Every selector filters through these functions, so a street officer of street A
sees street A's compounds and nothing else, and a firm user sees only its firm.
`via` is the path from the model being filtered to the compound or firm, e.g.
`compound_filter(user, via="compound")` for rows that belong to a compound.
"""

from __future__ import annotations

from django.db.models import Q

from .choices import Role

CITY_WIDE_READERS = {Role.BUREAU, Role.ASSOCIATION}


def _prefix(via: str) -> str:
    return f"{via}__" if via else ""


def _nothing(via: str) -> Q:
    return Q(**{f"{_prefix(via)}pk__in": []})


def is_signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def is_bureau(user) -> bool:
    return is_signed_in(user) and user.role == Role.BUREAU


def compound_filter(user, via: str = "") -> Q:
    """The compounds this user may read."""
    if not is_signed_in(user):
        return _nothing(via)
    p = _prefix(via)
    match user.role:
        case Role.BUREAU | Role.ASSOCIATION:
            return Q()
        case Role.STREET:
            return Q(**{f"{p}community__street_id": user.street_id})
        case Role.COMMUNITY:
            return Q(**{f"{p}community_id": user.community_id})
        case Role.FIRM:
            return Q(**{f"{p}firm_id": user.firm_id})
        case Role.OWNERS_COMMITTEE:
            return Q(**{f"{p}pk": user.compound_id})
    return _nothing(via)


def firm_filter(user, via: str = "") -> Q:
    """The firms this user may read: all for the city-wide, the own firm for a firm, and
    for an area the firms that currently serve a compound in it."""
    if not is_signed_in(user):
        return _nothing(via)
    p = _prefix(via)
    if user.role in CITY_WIDE_READERS:
        return Q()
    if user.role == Role.FIRM:
        return Q(**{f"{p}pk": user.firm_id})
    # The compound model, reached through the user's own binding (portal imports no app above).
    from django.contrib.auth import get_user_model

    Compound = get_user_model()._meta.get_field("compound").related_model
    serving = Compound.objects.filter(compound_filter(user), firm__isnull=False).values("firm_id")
    return Q(**{f"{p}pk__in": serving})


def street_filter(user, via: str = "") -> Q:
    """The streets whose figures this user may read (dashboards)."""
    if not is_signed_in(user):
        return _nothing(via)
    p = _prefix(via)
    match user.role:
        case Role.BUREAU | Role.ASSOCIATION:
            return Q()
        case Role.STREET:
            return Q(**{f"{p}pk": user.street_id})
        case Role.COMMUNITY:
            return Q(**{f"{p}communities__pk": user.community_id})
    return _nothing(via)


def community_filter(user, via: str = "") -> Q:
    """The communities whose figures this user may read (dashboards)."""
    if not is_signed_in(user):
        return _nothing(via)
    p = _prefix(via)
    match user.role:
        case Role.BUREAU | Role.ASSOCIATION:
            return Q()
        case Role.STREET:
            return Q(**{f"{p}street_id": user.street_id})
        case Role.COMMUNITY:
            return Q(**{f"{p}pk": user.community_id})
    return _nothing(via)


def can_edit_registry(user) -> bool:
    """Firms, compounds and accounts are kept by bureau staff only."""
    return is_bureau(user)
