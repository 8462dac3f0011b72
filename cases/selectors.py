"""Reads of the cases: who sees which case (never the public), what waits for whom, what is
overdue, and the monthly figures by street."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, F, Max, Min, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from companies.models import Compound
from portal.choices import Role
from portal.models import Department, Street
from portal.scoping import is_bureau, is_signed_in

from .choices import CaseState
from .models import Case, CasePhoto, Category, Dispatch

CASE_READERS = (Role.BUREAU, Role.STREET, Role.COMMUNITY, Role.DEPARTMENT)

# --- access (the role alone: the bar's links ask no query) -------------------------------------


def can_read_cases(user) -> bool:
    """The case pages: the bureau, street and community officers and departments (never the
    public, the association, firms or owners' committees)."""
    return is_signed_in(user) and user.role in CASE_READERS


def can_raise(user) -> bool:
    return is_signed_in(user) and user.role == Role.COMMUNITY


def can_record_credit(user) -> bool:
    return is_bureau(user)


def can_read_figures(user) -> bool:
    return is_bureau(user)


# --- which cases --------------------------------------------------------------------------------


def _scope(user) -> Q:
    """The cases a user may read: the compound's community and street, the departments the
    case was sent to (in any round), the bureau."""
    if not is_signed_in(user):
        return Q(pk__in=[])
    match user.role:
        case Role.BUREAU:
            return Q()
        case Role.STREET:
            return Q(compound__community__street_id=user.street_id)
        case Role.COMMUNITY:
            return Q(compound__community_id=user.community_id)
        case Role.DEPARTMENT:
            sent = Dispatch.objects.filter(case=OuterRef("pk"), department_id=user.department_id)
            return Q(Exists(sent))
    return Q(pk__in=[])


def cases_for_user(*, user) -> QuerySet[Case]:
    """The cases the user may read, with their compound, street, category and dispatches."""
    return (
        Case.objects.filter(_scope(user))
        .select_related("compound__community__street", "compound__firm", "category")
        .prefetch_related(
            Prefetch("dispatches", queryset=Dispatch.objects.select_related("department"))
        )
    )


def case_get_for_user(*, user, pk: int) -> Case:
    try:
        return cases_for_user(user=user).get(pk=pk)
    except Case.DoesNotExist:
        raise Http404(_("No such case.")) from None


def case_detail_for_user(*, user, pk: int) -> Case:
    """One case with what its page shows: the people of each step too."""
    try:
        return (
            cases_for_user(user=user)
            .select_related("raised_by", "reviewed_by", "closed_by", "confirmed_by", "credit_event")
            .prefetch_related(None)  # the list's dispatches, replaced by the page's own
            .prefetch_related(
                Prefetch(
                    "dispatches",
                    queryset=Dispatch.objects.select_related(
                        "department", "dispatched_by", "reported_by"
                    ).order_by("-round", "department__order"),
                ),
                "photos",
            )
            .get(pk=pk)
        )
    except Case.DoesNotExist:
        raise Http404(_("No such case.")) from None


def dispatch_get_for_department(*, user, pk: int) -> Dispatch:
    """A department's own dispatch; any other answers 404 alike."""
    if not (is_signed_in(user) and user.role == Role.DEPARTMENT):
        raise Http404(_("No such case."))
    try:
        return Dispatch.objects.select_related("case", "department").get(
            pk=pk, department_id=user.department_id
        )
    except Dispatch.DoesNotExist:
        raise Http404(_("No such case.")) from None


def photos_for_user(*, user) -> QuerySet[CasePhoto]:
    """The photos the user may open (portal/files.py serves them): those of readable cases."""
    return CasePhoto.objects.filter(case__in=Case.objects.filter(_scope(user)).values("pk"))


def compounds_to_warn_about(*, user) -> QuerySet[Compound]:
    """The compounds a community officer may raise a warning about: their community's."""
    if not can_raise(user):
        return Compound.objects.none()
    return Compound.objects.filter(community_id=user.community_id).order_by("name")


def active_categories() -> QuerySet[Category]:
    return Category.objects.filter(active=True)


def active_departments() -> QuerySet[Department]:
    return Department.objects.filter(active=True)


# --- what waits for whom ------------------------------------------------------------------------


def _silent_dispatches() -> QuerySet[Dispatch]:
    return Dispatch.objects.filter(
        case=OuterRef("pk"), round=OuterRef("round"), reported_at__isnull=True
    )


def overdue_filter(now: dt.datetime) -> Q:
    """Cases whose open step is past its deadline: review, a department's report, closing
    after the last report, or the community's confirmation."""
    late_report = _silent_dispatches().filter(due__lt=now)
    return (
        Q(state=CaseState.RAISED, review_due__lt=now)
        | Q(Exists(late_report), state=CaseState.WHISTLED)
        | Q(state=CaseState.WHISTLED, close_due__lt=now)
        | Q(state=CaseState.CLOSED, confirm_due__lt=now)
    )


def overdue_cases(*, user, now: dt.datetime | None = None) -> QuerySet[Case]:
    """The user's cases with an overdue step; for the bureau, every one: escalated to it."""
    return cases_for_user(user=user).filter(overdue_filter(now or timezone.now()))


def cases_to_review(*, user) -> QuerySet[Case]:
    """A street's warnings awaiting its review, the earliest deadline first."""
    if not (is_signed_in(user) and user.role == Role.STREET):
        return Case.objects.none()
    return cases_for_user(user=user).filter(state=CaseState.RAISED).order_by("review_due")


def cases_to_close(*, user) -> QuerySet[Case]:
    """A street's cases whose departments have all reported: to close."""
    if not (is_signed_in(user) and user.role == Role.STREET):
        return Case.objects.none()
    return (
        cases_for_user(user=user)
        .filter(state=CaseState.WHISTLED, close_due__isnull=False)
        .order_by("close_due")
    )


def cases_to_confirm(*, user) -> QuerySet[Case]:
    """A community's closed cases, to confirm on the spot."""
    if not (is_signed_in(user) and user.role == Role.COMMUNITY):
        return Case.objects.none()
    return cases_for_user(user=user).filter(state=CaseState.CLOSED).order_by("confirm_due")


def dispatches_to_report(*, user) -> QuerySet[Dispatch]:
    """A department's dispatches still waiting for its report, the earliest deadline first."""
    if not (is_signed_in(user) and user.role == Role.DEPARTMENT):
        return Dispatch.objects.none()
    return (
        Dispatch.objects.filter(
            department_id=user.department_id,
            reported_at__isnull=True,
            case__state=CaseState.WHISTLED,
            round=F("case__round"),
        )
        .select_related("case__compound__community__street", "case__category")
        .order_by("due", "pk")
    )


def confirmed_without_credit_event() -> QuerySet[Case]:
    """Confirmed cases of a managed compound that are not yet a credit event."""
    return Case.objects.filter(
        state=CaseState.CONFIRMED, credit_event__isnull=True, compound__firm__isnull=False
    )


@dataclass(frozen=True)
class Waiting:
    """Cases of one kind of waiting work: how many, the one (when alone), the nearest
    deadline and how many are past theirs."""

    count: int
    pk: int | None
    due: dt.datetime | None
    overdue: int


def waiting_work(*, user, now: dt.datetime) -> dict[str, Waiting]:
    """The case work waiting for a community, street or the bureau, counted in one query:
    community `confirm`; street `review`, `close` and `overdue`; bureau `overdue` (escalated)
    and `credit` (confirmed cases of a managed compound not yet a credit event)."""
    role = user.role if is_signed_in(user) else None
    kinds: dict[str, tuple[Q, str | None]] = {}
    if role == Role.COMMUNITY:
        kinds["confirm"] = (Q(state=CaseState.CLOSED), "confirm_due")
    if role == Role.STREET:
        kinds["review"] = (Q(state=CaseState.RAISED), "review_due")
        kinds["close"] = (Q(state=CaseState.WHISTLED, close_due__isnull=False), "close_due")
    if role in (Role.STREET, Role.BUREAU):
        kinds["overdue"] = (overdue_filter(now), None)
    if role == Role.BUREAU:
        kinds["credit"] = (
            Q(state=CaseState.CONFIRMED, credit_event__isnull=True, compound__firm__isnull=False),
            None,
        )
    if not kinds:
        return {}
    aggregates = {}
    for name, (condition, due) in kinds.items():
        aggregates[f"w_{name}_n"] = Count("pk", filter=condition)
        aggregates[f"w_{name}_pk"] = Max("pk", filter=condition)
        if due:
            aggregates[f"w_{name}_due"] = Min(due, filter=condition)
            aggregates[f"w_{name}_late"] = Count("pk", filter=condition & Q(**{f"{due}__lt": now}))
    row = Case.objects.filter(_scope(user)).aggregate(**aggregates)
    return {
        name: Waiting(
            count=row[f"w_{name}_n"],
            pk=row[f"w_{name}_pk"],
            due=row.get(f"w_{name}_due"),
            overdue=row[f"w_{name}_n"] if name == "overdue" else row.get(f"w_{name}_late") or 0,
        )
        for name in kinds
    }


# --- monthly figures by street --------------------------------------------------------------------


@dataclass
class StreetMonth:
    """One street's figures for the cases raised in a month."""

    street: Street
    raised: int = 0
    closed: int = 0
    closed_on_time: int = 0
    review_days: float | None = None
    report_days: float | None = None
    close_days: float | None = None
    confirm_days: float | None = None


def _days(delta: dt.timedelta) -> float:
    return delta.total_seconds() / 86400


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None


def month_bounds(year: int, month: int) -> tuple[dt.datetime, dt.datetime]:
    """The month in Beijing time, as aware datetimes: [start, end)."""
    start = timezone.make_aware(dt.datetime(year, month, 1))
    following = dt.datetime(year + (month == 12), month % 12 + 1, 1)
    return start, timezone.make_aware(following)


def closed_on_time(case: Case) -> bool:
    """Closed (by the street, after the departments if any) with every step up to the
    closing within its deadline: the review, each of this round's reports, the closing."""
    if case.closed_at is None:
        return False
    if case.reviewed_at is None or case.reviewed_at > case.review_due:
        return False
    if case.handled_by_street:
        return True
    if any(d.was_late for d in case.current_dispatches()):
        return False
    return case.close_due is not None and case.closed_at <= case.close_due


def monthly_figures(*, year: int, month: int) -> list[StreetMonth]:
    """For each street with cases raised in the month: how many, how many closed and closed
    on time, and the average days of each step (review: raised → reviewed; report: whistled →
    reported, per department; close: last report → closed; confirm: closed → confirmed).
    Steps not yet done are left out of the averages. Two queries."""
    start, end = month_bounds(year, month)
    cases = (
        Case.objects.filter(raised_at__gte=start, raised_at__lt=end)
        .select_related("compound__community__street")
        .prefetch_related("dispatches")
        .order_by("pk")
    )
    rows: dict[int, StreetMonth] = {}
    samples: dict[int, dict[str, list[float]]] = {}
    for case in cases:
        street = case.compound.community.street
        row = rows.setdefault(street.pk, StreetMonth(street=street))
        days = samples.setdefault(
            street.pk, {"review": [], "report": [], "close": [], "confirm": []}
        )
        row.raised += 1
        if case.closed_at:
            row.closed += 1
            row.closed_on_time += closed_on_time(case)
        if case.reviewed_at:
            days["review"].append(_days(case.reviewed_at - case.raised_at))
        for dispatch in case.current_dispatches():
            if dispatch.reported_at:
                days["report"].append(_days(dispatch.reported_at - dispatch.dispatched_at))
        if case.closed_at and case.reports_done_at and not case.handled_by_street:
            days["close"].append(_days(case.closed_at - case.reports_done_at))
        if case.confirmed_at and case.closed_at:
            days["confirm"].append(_days(case.confirmed_at - case.closed_at))
    for pk, row in rows.items():
        row.review_days = _mean(samples[pk]["review"])
        row.report_days = _mean(samples[pk]["report"])
        row.close_days = _mean(samples[pk]["close"])
        row.confirm_days = _mean(samples[pk]["confirm"])
    return sorted(rows.values(), key=lambda r: (r.street.name, r.street.pk))
