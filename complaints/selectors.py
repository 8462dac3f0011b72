"""Reads of the complaints: who sees which (the bureau all; a street or community its area; a
firm those assigned to it; an owners' committee its compound's, read-only), what waits for
whom, the unmatched addresses, and the year's suggested petitions scores."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Count, Max, Min, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from companies.models import Compound
from credit.models import Assessment
from portal.choices import Role
from portal.scoping import is_bureau, is_signed_in

from .choices import Verification
from .models import Complaint, PetitionsFormula
from .score import Derivation, Parameters, suggested_score

READERS = (Role.BUREAU, Role.STREET, Role.COMMUNITY, Role.FIRM, Role.OWNERS_COMMITTEE)
AREA_ROLES = (Role.BUREAU, Role.STREET, Role.COMMUNITY)
BEIJING = ZoneInfo("Asia/Shanghai")
PETITIONS = "petitions"


def can_read(user) -> bool:
    return is_signed_in(user) and user.role in READERS


def can_enter(user) -> bool:
    return is_signed_in(user) and user.role in AREA_ROLES


def can_import(user) -> bool:
    return is_bureau(user)


def can_read_scores(user) -> bool:
    return is_signed_in(user) and user.role in AREA_ROLES


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
            return Q(firm_id=user.firm_id, firm__isnull=False)
        case Role.OWNERS_COMMITTEE:
            return Q(compound_id=user.compound_id, compound__isnull=False)
    return Q(pk__in=[])


def complaints_for_user(*, user) -> QuerySet[Complaint]:
    """The complaints the user may read, with their compound, community and firm."""
    return Complaint.objects.filter(_scope(user)).select_related(
        "compound__community__street", "firm"
    )


def complaint_get_for_user(*, user, pk: int) -> Complaint:
    try:
        return (
            complaints_for_user(user=user)
            .select_related("answered_by", "verified_by", "entered_by")
            .get(pk=pk)
        )
    except (Complaint.DoesNotExist, ValueError):
        raise Http404(_("No such complaint.")) from None


def compounds_for_entry(*, user) -> QuerySet[Compound]:
    """The compounds the user may enter a complaint for: their own area's."""
    match user.role if is_signed_in(user) else None:
        case Role.BUREAU:
            return Compound.objects.order_by("name")
        case Role.STREET:
            return Compound.objects.filter(community__street_id=user.street_id).order_by("name")
        case Role.COMMUNITY:
            return Compound.objects.filter(community_id=user.community_id).order_by("name")
    return Compound.objects.none()


def unmatched_addresses(*, user) -> QuerySet:
    """The bureau's raw addresses no compound was found for: each with its count."""
    if not is_bureau(user):
        return Complaint.objects.none().values("address")
    return (
        Complaint.objects.filter(compound__isnull=True)
        .values("address")
        .annotate(count=Count("pk"), first=Min("received_at"))
        .order_by("-count", "address")
    )


def to_answer_filter() -> Q:
    return Q(firm__isnull=False, answered_at__isnull=True)


def to_verify_filter() -> Q:
    return Q(answered_at__isnull=False, verified_at__isnull=True)


def overdue_filter(today: dt.date) -> Q:
    return (to_answer_filter() & Q(answer_due__lt=today)) | (
        to_verify_filter() & Q(verify_due__lt=today)
    )


@dataclass(frozen=True)
class Waiting:
    count: int
    due: dt.date | None
    overdue: int


def waiting_work(*, user, today: dt.date) -> dict[str, Waiting]:
    """What waits for the user, in one query: a firm's answers, a community's verifications,
    the bureau's hotline orders whose address no compound matched yet."""
    if not is_signed_in(user):
        return {}
    if is_bureau(user):
        count = Complaint.objects.filter(compound__isnull=True).count()
        return {"match": Waiting(count, None, 0)} if count else {}
    if user.role == Role.FIRM:
        name, rows, due = (
            "answer",
            Complaint.objects.filter(to_answer_filter(), firm_id=user.firm_id),
            "answer_due",
        )
    elif user.role == Role.COMMUNITY:
        name, rows, due = (
            "verify",
            Complaint.objects.filter(to_verify_filter(), compound__community_id=user.community_id),
            "verify_due",
        )
    else:
        return {}
    found = rows.aggregate(
        count=Count("pk"), due=Min(due), overdue=Count("pk", filter=Q(**{f"{due}__lt": today}))
    )
    return {name: Waiting(found["count"], found["due"], found["overdue"])} if found["count"] else {}


# --- the suggested petitions score ---------------------------------------------------------------


def year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    """The year in Beijing time."""
    return dt.datetime(year, 1, 1, tzinfo=BEIJING), dt.datetime(year + 1, 1, 1, tzinfo=BEIJING)


def latest_past_year(*, today: dt.date) -> int:
    """The latest year before this one with complaints (last year when there are none)."""
    first, _end = year_bounds(today.year)
    latest = Complaint.objects.filter(received_at__lt=first).aggregate(last=Max("received_at"))
    if latest["last"] is None:
        return today.year - 1
    return latest["last"].astimezone(BEIJING).year


def formula_of(year: int) -> Parameters:
    """The bureau's parameters of the year, or the defaults when it kept none."""
    formula = PetitionsFormula.objects.filter(year=year).first()
    return Parameters.of(formula) if formula else Parameters()


@dataclass
class ScoreRow:
    compound: Compound
    derivation: Derivation
    officers: list  # (assessor role label, score) of the officers' own petitions scores


def score_compounds(*, user, year: int) -> QuerySet[Compound]:
    """The compounds of the user's area with complaints received in the year, each annotated
    with the counts of the formula."""
    first, end = year_bounds(year)
    inside = Q(complaints__received_at__gte=first, complaints__received_at__lt=end)
    compounds = Compound.objects.all()
    if user.role == Role.STREET:
        compounds = compounds.filter(community__street_id=user.street_id)
    elif user.role == Role.COMMUNITY:
        compounds = compounds.filter(community_id=user.community_id)
    elif user.role != Role.BUREAU:
        return Compound.objects.none()
    return (
        compounds.annotate(
            n=Count("complaints", filter=inside),
            on_time=Count("complaints", filter=inside & Q(complaints__answered_on_time=True)),
            resolved=Count(
                "complaints",
                filter=inside & Q(complaints__verification=Verification.RESOLVED),
            ),
        )
        .filter(n__gt=0)
        .select_related("community__street")
        .order_by("community__street__name", "name", "pk")
    )


def score_rows(compounds, *, year: int, params: Parameters) -> list[ScoreRow]:
    """The rows of one page: the derivation and, beside it, the officers' own scores."""
    compounds = list(compounds)
    officers: dict[int, list] = {}
    for assessment in Assessment.objects.filter(
        year=year, indicator__code=PETITIONS, compound__in=[c.pk for c in compounds]
    ).order_by("compound_id", "assessor_role"):
        officers.setdefault(assessment.compound_id, []).append(
            (assessment.get_assessor_role_display(), assessment.score)
        )
    return [
        ScoreRow(
            compound=c,
            derivation=suggested_score(
                households=c.households,
                complaints=c.n,
                on_time=c.on_time,
                resolved=c.resolved,
                params=params,
            ),
            officers=officers.get(c.pk, []),
        )
        for c in compounds
    ]
