"""Reads of the demonstration applications: who sees which, what waits for whom (one query per
to-do), and the public list of a year's approved projects."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Min, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from companies.models import Compound
from portal.choices import Role
from portal.scoping import is_signed_in

from .choices import State
from .models import Application, EvidenceFile, Publication

READERS = (Role.BUREAU, Role.STREET, Role.COMMUNITY, Role.FIRM)


def can_read(user) -> bool:
    """The application pages: the applying firm, the compound's community and street, the
    bureau."""
    return is_signed_in(user) and user.role in READERS


def can_apply(user) -> bool:
    return is_signed_in(user) and user.role == Role.FIRM and user.firm_id is not None


def _scope(user) -> Q:
    if not is_signed_in(user):
        return Q(pk__in=[])
    match user.role:
        case Role.BUREAU:
            return Q()
        case Role.STREET:
            return Q(compound__community__street_id=user.street_id)
        case Role.COMMUNITY:
            return Q(compound__community_id=user.community_id)
        case Role.FIRM:
            return Q(firm_id=user.firm_id)
    return Q(pk__in=[])


def applications_for_user(*, user) -> QuerySet[Application]:
    """The applications the user may read, with compound, community, street and firm."""
    return Application.objects.filter(_scope(user)).select_related(
        "compound__community__street", "firm"
    )


def application_detail_for_user(*, user, pk: int) -> Application:
    try:
        return (
            applications_for_user(user=user)
            .select_related(
                "submitted_by", "community_by", "street_by", "decided_by", "credit_event"
            )
            .prefetch_related("files")
            .get(pk=pk)
        )
    except Application.DoesNotExist:
        raise Http404(_("No such application.")) from None


def compounds_to_apply_for(*, user) -> QuerySet[Compound]:
    """The compounds the firm manages now."""
    if not can_apply(user):
        return Compound.objects.none()
    return Compound.objects.filter(firm_id=user.firm_id).select_related("community")


def files_for_user(*, user) -> QuerySet[EvidenceFile]:
    """The evidence files the user may open (portal/files.py): those of readable applications."""
    return EvidenceFile.objects.filter(
        application__in=Application.objects.filter(_scope(user)).values("pk")
    )


def waiting_for(user) -> Q | None:
    """What waits for the user: the community's and street's recommendations, the bureau's
    decisions, the firm's applications sent back (not recommended)."""
    if not is_signed_in(user):
        return None
    match user.role:
        case Role.COMMUNITY:
            return Q(state=State.SUBMITTED, compound__community_id=user.community_id)
        case Role.STREET:
            return Q(state=State.COMMUNITY_OK, compound__community__street_id=user.street_id)
        case Role.BUREAU:
            return Q(state=State.STREET_OK)
        case Role.FIRM:
            return Q(state=State.RETURNED, firm_id=user.firm_id)
    return None


def waiting_summary(*, user, today: dt.date) -> dict | None:
    """How many wait for the user, the nearest deadline and how many are overdue: one query."""
    waiting = waiting_for(user)
    if waiting is None:
        return None
    row = Application.objects.filter(waiting).aggregate(
        n=Count("pk"),
        nearest=Min("due"),
        late=Count("pk", filter=Q(due__lt=today)),
        first_pk=Min("pk"),
    )
    return {
        "count": row["n"],
        "due": row["nearest"],
        "overdue": row["late"],
        "first": row["first_pk"],
    }


def approved_of_year(*, year: int) -> QuerySet[Application]:
    """The year's approved projects, by street, community and compound (the public page shows
    them once the year's list is published)."""
    return (
        Application.objects.filter(state=State.APPROVED, year=year)
        .select_related("compound__community__street", "firm")
        .order_by(
            "compound__community__street__name", "compound__community__name", "compound__name"
        )
    )


def publication_of(*, year: int) -> Publication | None:
    return Publication.objects.filter(year=year).first()


def published_years() -> list[int]:
    return list(Publication.objects.order_by("-year").values_list("year", flat=True))
