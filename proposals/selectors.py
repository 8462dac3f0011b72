"""Reads: proposals for bureau staff, published replies for everyone."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Min, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from portal.scoping import is_bureau

from .choices import OPEN_STATES, Waiting
from .links import attach_follow_up_titles
from .models import (
    CoHandler,
    Division,
    Proposal,
    Reply,
    ReplySection,
    near_due_q,
    overdue_q,
)

HISTORY_LIMIT = 30

# Proposals are the bureau's internal work: other roles see only published replies.
can_handle_proposals = is_bureau


def _require_staff(user) -> None:
    if not can_handle_proposals(user):
        raise Http404


def proposals_for_user(
    *,
    user,
    q: str = "",
    state: str = "",
    kind: str = "",
    year: int | None = None,
    waiting: str = "",
    today: dt.date | None = None,
) -> QuerySet[Proposal]:
    _require_staff(user)
    proposals = Proposal.objects.select_related("lead_division")
    today = today or timezone.localdate()
    if waiting == Waiting.OVERDUE:
        proposals = proposals.overdue(today).order_by("reply_due", "pk")
    elif waiting == Waiting.DUE_SOON:
        proposals = proposals.near_due(today).order_by("reply_due", "pk")
    elif waiting == Waiting.TO_PUBLISH:
        proposals = proposals.reply_to_publish()
    if q:
        proposals = proposals.filter(
            Q(title__icontains=q) | Q(session__icontains=q) | Q(proposers__name__icontains=q)
        ).distinct()
    if state:
        proposals = proposals.filter(state=state)
    if kind:
        proposals = proposals.filter(kind=kind)
    if year:
        proposals = proposals.filter(received_on__year=year)
    return proposals.prefetch_related("proposers")


def _reply_prefetch() -> Prefetch:
    return Prefetch(
        "replies",
        queryset=Reply.objects.select_related("signed_off_by", "drafted_by").prefetch_related(
            Prefetch("sections", queryset=ReplySection.objects.select_related("point"))
        ),
    )


def proposal_get_for_user(*, user, pk: int) -> Proposal:
    _require_staff(user)
    try:
        return (
            Proposal.objects.select_related("lead_division__head")
            .prefetch_related(
                "proposers",
                "points",
                Prefetch("co_handlers", queryset=CoHandler.objects.select_related("division")),
                _reply_prefetch(),
                "feedbacks",
            )
            .get(pk=pk)
        )
    except Proposal.DoesNotExist as exc:
        raise Http404 from exc


def proposal_history(proposal: Proposal, *, limit: int = HISTORY_LIMIT) -> list:
    """The proposal's recorded changes and its replies' register steps (signed off,
    published), newest first, in two queries. A reply's draft saves are left out: they
    record no step."""
    moves = proposal.history.select_related("history_user").order_by("-history_date")[:limit]
    steps = (
        Reply.history.filter(proposal_id=proposal.pk)
        .exclude(history_change_reason__isnull=True)
        .exclude(history_change_reason="")
        .select_related("history_user")
        .order_by("-history_date")[:limit]
    )
    entries = [*moves, *steps]
    entries.sort(key=lambda entry: entry.history_date, reverse=True)
    return entries[:limit]


def reply_get_for_user(*, user, proposal_pk: int, round: int | None = None) -> Reply:  # noqa: A002
    """A proposal's reply (the latest round unless one is named), for staff."""
    _require_staff(user)
    replies = (
        # proposal__pk, not proposal_id: an address's 10**20 then finds nothing instead of
        # overflowing the database's integer (SQLite raises).
        Reply.objects.filter(proposal__pk=proposal_pk)
        .select_related("proposal__lead_division__head", "signed_off_by")
        .prefetch_related(
            Prefetch("sections", queryset=ReplySection.objects.select_related("point")),
            "proposal__points",
            "proposal__proposers",
        )
        .order_by("-round")
    )
    if round is not None:
        replies = replies.filter(round=round)
    reply = replies.first()
    if reply is None:
        raise Http404
    return reply


def reply_document_for_user(*, user, proposal_pk: int) -> Reply:
    """The latest reply for its print view or PDF, with its follow-up targets' titles."""
    reply = reply_get_for_user(user=user, proposal_pk=proposal_pk)
    attach_follow_up_titles(reply.sections.all())
    return reply


def divisions_active() -> QuerySet[Division]:
    return Division.objects.filter(is_active=True)


@dataclass(frozen=True)
class StateCount:
    """How many proposals are in one state, the earliest reply deadline among them, and how
    many of them are past it."""

    count: int = 0
    due: dt.date | None = None
    overdue: int = 0


@dataclass(frozen=True)
class Workload:
    """What the bureau's proposals wait for (the to-do list's figures)."""

    by_state: dict[str, StateCount] = field(default_factory=dict)
    overdue: StateCount = StateCount()
    due_soon: StateCount = StateCount()
    to_publish: int = 0

    def state(self, state: str) -> StateCount:
        return self.by_state.get(state, StateCount())


def proposal_workload(*, user, today: dt.date) -> Workload:
    """Proposals by state with their deadlines, the overdue and the near-due ones (one query),
    and the signed replies still to publish (one query)."""
    if not can_handle_proposals(user):
        return Workload()
    late, soon = overdue_q(today), near_due_q(today)
    rows = (
        Proposal.objects.order_by()
        .values("state")
        .annotate(
            count=Count("pk"),
            due=Min("reply_due"),
            late=Count("pk", filter=late),
            late_due=Min("reply_due", filter=late),
            soon=Count("pk", filter=soon),
            soon_due=Min("reply_due", filter=soon),
        )
    )
    by_state, overdue, due_soon = {}, [], []
    for row in rows:
        is_open = row["state"] in OPEN_STATES
        by_state[row["state"]] = StateCount(
            count=row["count"],
            due=row["due"] if is_open else None,
            overdue=row["late"],
        )
        if row["late"]:
            overdue.append((row["late"], row["late_due"]))
        if row["soon"]:
            due_soon.append((row["soon"], row["soon_due"]))
    to_publish = Reply.objects.filter(signed_off_at__isnull=False, published_on__isnull=True)

    def total(parts: list[tuple[int, dt.date]]) -> StateCount:
        if not parts:
            return StateCount()
        count = sum(n for n, _due in parts)
        return StateCount(count=count, due=min(d for _n, d in parts))

    return Workload(
        by_state=by_state,
        overdue=total(overdue),
        due_soon=total(due_soon),
        to_publish=to_publish.count(),
    )


def published_replies(
    *, q: str = "", year: int | None = None, session: str = ""
) -> QuerySet[Reply]:
    """The disclosure list: published replies, newest first (no private details selected)."""
    replies = Reply.objects.published().select_related("proposal")
    if q:
        replies = replies.filter(
            Q(title__icontains=q)
            | Q(proposal__title__icontains=q)
            | Q(doc_no__icontains=q)
            | Q(index_no__icontains=q)
        )
    if year:
        replies = replies.filter(index_year=year)
    if session:
        replies = replies.filter(proposal__session=session)
    return replies.order_by("-published_on", "-index_seq")


def published_sessions() -> list[str]:
    return list(
        Reply.objects.published()
        .order_by("proposal__session")
        .values_list("proposal__session", flat=True)
        .distinct()
    )


def published_years() -> list[int]:
    return list(
        Reply.objects.published()
        .order_by("-index_year")
        .values_list("index_year", flat=True)
        .distinct()
    )


def published_reply_get(*, year: int, seq: int) -> Reply:
    """One published reply by its index year and sequence; 404 unless published."""
    try:
        reply = (
            Reply.objects.published()
            .select_related("proposal")
            .prefetch_related(
                Prefetch("sections", queryset=ReplySection.objects.select_related("point"))
            )
            .get(index_year=year, index_seq=seq)
        )
    except Reply.DoesNotExist as exc:
        raise Http404 from exc
    attach_follow_up_titles(reply.sections.all())
    return reply


def b_sections_due(*, today: dt.date) -> QuerySet[ReplySection]:
    """Category B answers whose planned date has passed: a second reply is owed."""
    return ReplySection.objects.filter(
        category="B", due_on__lt=today, reply__signed_off_at__isnull=False
    ).select_related("reply__proposal__lead_division", "point")
