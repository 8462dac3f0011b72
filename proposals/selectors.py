"""Reads: proposals for bureau staff, published replies for everyone."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from portal.scoping import is_bureau

from .links import attach_follow_up_titles
from .models import CoHandler, Division, Proposal, Reply, ReplySection

# Proposals are the bureau's internal work: other roles see only published replies.
can_handle_proposals = is_bureau


def _require_staff(user) -> None:
    if not can_handle_proposals(user):
        raise Http404


def proposals_for_user(
    *, user, q: str = "", state: str = "", kind: str = "", year: int | None = None
) -> QuerySet[Proposal]:
    _require_staff(user)
    proposals = Proposal.objects.select_related("lead_division")
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


def reply_get_for_user(*, user, proposal_pk: int, round: int | None = None) -> Reply:  # noqa: A002
    """A proposal's reply (the latest round unless one is named), for staff."""
    _require_staff(user)
    replies = (
        Reply.objects.filter(proposal_id=proposal_pk)
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


def proposals_due(*, user, today: dt.date) -> dict[str, list[Proposal]]:
    """Overdue and near-due open proposals, for the bureau dashboard."""
    if not can_handle_proposals(user):
        return {"overdue": [], "near_due": []}
    base = Proposal.objects.select_related("lead_division").order_by("reply_due")
    return {
        "overdue": list(base.overdue(today)),
        "near_due": list(base.near_due(today)),
    }


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
