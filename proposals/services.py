"""Every write to proposals, replies and feedback: one function per step of the flow.

Each transition locks the proposal row (select_for_update) and checks its current
state, so two clerks acting at once cannot both move it, and records the move in
the proposal's history with a reason such as "assigned → drafting"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import User
from portal.services import record_save

from . import deadlines, numbering
from .choices import ProposalState, ReplyCategory, SequenceKind, state_after_feedback
from .models import (
    CoHandler,
    Division,
    Feedback,
    Proposal,
    Proposer,
    RegisterCounter,
    RegisterSettings,
    Reply,
    ReplySection,
    SuggestionPoint,
)

S = ProposalState


def _lock(proposal: Proposal, *allowed: str) -> Proposal:
    """The proposal, locked, if it is in one of the allowed states."""
    # Lock: two requests moving the same proposal would both pass the state check.
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if locked.state not in allowed:
        raise ValidationError(
            _("This proposal is %(state)s; this step needs it to be %(allowed)s.")
            % {
                "state": locked.get_state_display(),
                "allowed": " / ".join(str(S(a).label) for a in allowed),
            },
            code="invalid_state",
        )
    return locked


def _move(proposal: Proposal, to: str, *, user: User | None, note: str = "") -> Proposal:
    reason = f"{proposal.state} → {to}" + (f": {note}" if note else "")
    proposal.state = to
    return record_save(proposal, user=user, reason=reason[:100])


def _today(day: dt.date | None) -> dt.date:
    return day or timezone.localdate()


# Intake and handling -----------------------------------------------------------------


@transaction.atomic
def proposal_create(
    *,
    user: User | None,
    kind: str,
    session: str,
    number: int,
    title: str,
    received_on: dt.date,
    full_text: str,
    proposers: Iterable[dict],
    points: Iterable[dict],
) -> Proposal:
    """Register a received proposal with its proposers and suggestion points."""
    proposers, points = list(proposers), list(points)
    errors = {}
    if not proposers:
        errors["proposers"] = _("Enter at least one proposer.")
    if not points:
        errors["points"] = _("Enter at least one suggestion point.")
    if errors:
        raise ValidationError(errors, code="required")
    proposal = record_save(
        Proposal(
            kind=kind,
            session=session.strip(),
            number=number,
            title=title.strip(),
            received_on=received_on,
            full_text=full_text,
            reply_due=deadlines.reply_due(received_on),
        ),
        user=user,
        reason="received",
    )
    for i, fields in enumerate(proposers, start=1):
        record_save(Proposer(proposal=proposal, position=i, **fields), user=user)
    for i, fields in enumerate(points, start=1):
        record_save(SuggestionPoint(proposal=proposal, position=i, **fields), user=user)
    return proposal


@transaction.atomic
def proposal_update(
    *,
    user: User | None,
    proposal: Proposal,
    proposers: Iterable[dict] | None = None,
    points: Iterable[dict] | None = None,
    **fields,
) -> Proposal:
    """Correct a proposal not yet assigned: its fields, and its proposers or points (replaced
    whole). Once assigned, the points carry the reply's sections and stay as they are."""
    proposal = _lock(proposal, S.RECEIVED)
    for name, value in fields.items():
        if name not in ("title", "received_on", "full_text"):
            raise TypeError(f"proposal_update() got an unexpected field {name!r}")
        setattr(proposal, name, value.strip() if isinstance(value, str) else value)
    proposal.reply_due = deadlines.reply_due(proposal.received_on)
    proposal = record_save(proposal, user=user, reason="corrected")
    for related, model, rows in (
        ("proposers", Proposer, proposers),
        ("points", SuggestionPoint, points),
    ):
        if rows is None:
            continue
        rows = list(rows)
        if not rows:
            raise ValidationError({related: _("Enter at least one.")}, code="required")
        for old in getattr(proposal, related).all():
            old._history_user = user
            old.delete()
        for i, row in enumerate(rows, start=1):
            record_save(model(proposal=proposal, position=i, **row), user=user)
    return proposal


@transaction.atomic
def proposal_assign(
    *,
    user: User | None,
    proposal: Proposal,
    lead_division: Division,
    co_divisions: Iterable[Division] = (),
    on: dt.date | None = None,
) -> Proposal:
    """Give the proposal a lead division (主办) and co-handlers (协办) with their input deadline."""
    proposal = _lock(proposal, S.RECEIVED)
    on = _today(on)
    co_divisions = [d for d in co_divisions if d.pk != lead_division.pk]
    proposal.lead_division = lead_division
    proposal.assigned_on = on
    proposal.return_reason = ""
    proposal = _move(proposal, S.ASSIGNED, user=user, note=lead_division.name)
    input_due = deadlines.co_input_due(on)
    for division in co_divisions:
        record_save(CoHandler(proposal=proposal, division=division, input_due=input_due), user=user)
    return proposal


@transaction.atomic
def proposal_return(
    *, user: User | None, proposal: Proposal, reason: str, on: dt.date | None = None
) -> Proposal:
    """The lead division hands back a misassigned proposal, within the return period."""
    proposal = _lock(proposal, S.ASSIGNED)
    on = _today(on)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the proposal is returned.")}, code="required")
    last_day = deadlines.return_deadline(proposal.assigned_on)
    if on > last_day:
        raise ValidationError(
            _("A misassigned proposal can be returned until %(date)s only.")
            % {"date": last_day.isoformat()},
            code="return_too_late",
        )
    for co in proposal.co_handlers.all():
        co.delete()
    proposal.lead_division = None
    proposal.assigned_on = None
    proposal.return_reason = reason.strip()
    return _move(proposal, S.RECEIVED, user=user, note=reason.strip())


@transaction.atomic
def co_input_record(
    *, user: User | None, co_handler: CoHandler, text: str, on: dt.date | None = None
) -> CoHandler:
    """Record a co-handling division's input to the lead division."""
    _lock(co_handler.proposal, S.ASSIGNED, S.DRAFTING, S.REHANDLING)
    if not text.strip():
        raise ValidationError({"text": _("Enter the input.")}, code="required")
    co_handler.input_text = text.strip()
    co_handler.input_on = _today(on)
    return record_save(co_handler, user=user)


@transaction.atomic
def proposal_extend(
    *, user: User | None, proposal: Proposal, until: dt.date, reason: str
) -> Proposal:
    """Extend the reply deadline once, with a reason, to at most 6 months after receipt."""
    proposal = _lock(proposal, S.ASSIGNED, S.DRAFTING, S.REVIEW)
    if proposal.is_extended:
        raise ValidationError(
            _("The reply deadline has already been extended once."), code="already_extended"
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the extension.")}, code="required")
    latest = deadlines.latest_extension(proposal.received_on)
    if until > latest:
        raise ValidationError(
            {
                "until": _("The reply is due at the latest on %(date)s (6 months after receipt).")
                % {"date": latest.isoformat()}
            },
            code="extension_too_long",
        )
    if proposal.reply_due and until <= proposal.reply_due:
        raise ValidationError(
            {"until": _("An extension must move the deadline later.")}, code="not_later"
        )
    proposal.reply_due = until
    proposal.extension_reason = reason.strip()
    return record_save(proposal, user=user, reason="extended")


# The reply -----------------------------------------------------------------------------


def _default_salutation(proposal: Proposal) -> str:
    names = "、".join(p.name for p in proposal.proposers.all())
    return names + ("代表:" if proposal.kind == "npc" else "委员:")


@transaction.atomic
def reply_start(*, user: User | None, proposal: Proposal) -> Reply:
    """Open a reply draft (a new round after re-handling) with one empty section per point."""
    proposal = _lock(proposal, S.ASSIGNED, S.REHANDLING)
    round_ = proposal.replies.count() + 1
    reply = record_save(
        Reply(
            proposal=proposal,
            round=round_,
            salutation=_default_salutation(proposal),
            drafted_by=user,
        ),
        user=user,
    )
    for point in proposal.points.all():
        record_save(ReplySection(reply=reply, point=point), user=user)
    _move(proposal, S.DRAFTING, user=user)
    return reply


SECTION_FIELDS = ("body", "category", "due_on", "reasons", "follow_up_label", "follow_up_url")
REPLY_FIELDS = ("salutation", "opening", "closing", "overall_category")


@transaction.atomic
def reply_save(
    *, user: User | None, reply: Reply, sections: dict[int, dict] | None = None, **fields
) -> Reply:
    """Save the draft: its frame and the sections given by point id."""
    _lock(reply.proposal, S.DRAFTING)
    for name, value in fields.items():
        if name not in REPLY_FIELDS:
            raise TypeError(f"reply_save() got an unexpected field {name!r}")
        setattr(reply, name, value)
    record_save(reply, user=user)
    for section in reply.sections.all():
        data = (sections or {}).get(section.point_id)
        if data is None:
            continue
        for name in SECTION_FIELDS:
            if name in data:
                setattr(section, name, data[name])
        record_save(section, user=user)
    return reply


def reply_problems(reply: Reply) -> list[str]:
    """What keeps a reply from review and sign-off (empty when complete)."""
    problems: list[str] = []
    by_point = {s.point_id: s for s in reply.sections.all()}
    for point in reply.proposal.points.all():
        section = by_point.get(point.pk)
        label = _("Suggestion %(n)s") % {"n": point.position}
        if section is None or not section.body.strip():
            problems.append(_("%(point)s has no answer.") % {"point": label})
            continue
        if not section.category:
            problems.append(_("%(point)s has no category.") % {"point": label})
        elif section.category == ReplyCategory.B and section.due_on is None:
            problems.append(_("%(point)s is category B: give the planned date.") % {"point": label})
        elif section.category == ReplyCategory.C and not section.reasons.strip():
            problems.append(_("%(point)s is category C: give the reasons.") % {"point": label})
    if not reply.overall_category:
        problems.append(_("Choose the overall category."))
    return problems


def _require_complete(reply: Reply) -> None:
    problems = reply_problems(reply)
    if problems:
        raise ValidationError([ValidationError(p, code="incomplete") for p in problems])


@transaction.atomic
def reply_submit(*, user: User | None, reply: Reply) -> Reply:
    """Send a complete draft to the division head for review."""
    proposal = _lock(reply.proposal, S.DRAFTING)
    _require_complete(reply)
    _move(proposal, S.REVIEW, user=user)
    return reply


@transaction.atomic
def reply_send_back(*, user: User | None, reply: Reply, reason: str) -> Reply:
    """The reviewer returns the draft for changes."""
    proposal = _lock(reply.proposal, S.REVIEW)
    if not reason.strip():
        raise ValidationError({"reason": _("Say what needs changing.")}, code="required")
    _move(proposal, S.DRAFTING, user=user, note=reason.strip())
    return reply


def can_sign_off(user: User | None, proposal: Proposal) -> bool:
    """Only the head of the proposal's lead division signs its reply off."""
    division = proposal.lead_division
    return bool(user and division and division.head_id and division.head_id == user.pk)


@transaction.atomic
def reply_sign_off(
    *,
    user: User,
    reply: Reply,
    contact_name: str,
    contact_phone: str,
    written_on: dt.date | None = None,
) -> Reply:
    """Sign the reply off and give it its register metadata (numbers never typed by hand)."""
    # Lock the reply: a double-clicked sign-off would otherwise take two numbers.
    reply = Reply.objects.select_for_update().select_related("proposal").get(pk=reply.pk)
    if reply.is_signed_off:
        raise ValidationError(
            _("This reply was already signed off as %(doc_no)s.") % {"doc_no": reply.doc_no},
            code="already_signed_off",
        )
    proposal = _lock(reply.proposal, S.REVIEW)
    if not can_sign_off(user, proposal):
        raise ValidationError(
            _("Only the head of the lead division can sign this reply off."), code="not_head"
        )
    _require_complete(reply)
    if not contact_name.strip() or not contact_phone.strip():
        raise ValidationError(_("Give the contact name and phone."), code="required")
    register = RegisterSettings.get_solo()
    if not register.organisation_code:
        raise ValidationError(
            _("Set the bureau's organisation code in the register settings first."),
            code="no_organisation_code",
        )
    written_on = _today(written_on)
    year = written_on.year
    index_seq = numbering.next_number(kind=SequenceKind.INDEX, year=year)
    doc_seq = numbering.next_number(kind=numbering.doc_sequence_kind(proposal.kind), year=year)
    reply.index_year = year
    reply.index_seq = index_seq
    reply.index_no = numbering.format_index_no(
        organisation_code=register.organisation_code, year=year, seq=index_seq
    )
    reply.doc_no = numbering.format_doc_no(
        prefix=register.prefix_for(proposal.kind), year=year, seq=doc_seq
    )
    reply.title = register.title_for(proposal)
    reply.classification = register.classification_for(proposal.kind)
    reply.issuing_organ = register.issuing_organ
    reply.written_on = written_on
    reply.contact_name = contact_name.strip()
    reply.contact_phone = contact_phone.strip()
    reply.signed_off_by = user
    reply.signed_off_at = timezone.now()
    record_save(reply, user=user, reason="signed off")
    _move(proposal, S.REPLIED, user=user, note=reply.doc_no)
    return reply


@transaction.atomic
def reply_publish(*, user: User | None, reply: Reply, published_on: dt.date | None = None) -> Reply:
    """Publish a signed-off reply in the disclosure column."""
    reply = Reply.objects.select_for_update().get(pk=reply.pk)
    if not reply.is_signed_off:
        raise ValidationError(_("Only a signed-off reply can be published."), code="not_signed")
    if reply.is_published:
        raise ValidationError(_("This reply is already published."), code="already_published")
    published_on = _today(published_on)
    if published_on < reply.written_on:
        raise ValidationError(
            {"published_on": _("A reply cannot be published before it was written.")},
            code="before_written",
        )
    reply.published_on = published_on
    return record_save(reply, user=user, reason="published")


# Feedback ------------------------------------------------------------------------------


@transaction.atomic
def feedback_record(
    *,
    user: User | None,
    proposal: Proposal,
    satisfaction: str,
    comments: str = "",
    received_on: dt.date | None = None,
) -> Feedback:
    """Record the proposer's satisfaction; 'unsatisfied' reopens the proposal for re-handling."""
    proposal = _lock(proposal, S.REPLIED)
    received_on = _today(received_on)
    reply = proposal.replies.filter(signed_off_at__isnull=False).order_by("-round").first()
    feedback = record_save(
        Feedback(
            proposal=proposal,
            reply=reply,
            satisfaction=satisfaction,
            comments=comments.strip(),
            received_on=received_on,
            entered_by=user,
        ),
        user=user,
    )
    after = state_after_feedback(satisfaction)
    if after == S.REHANDLING:
        proposal.reply_due = deadlines.rehandle_due(received_on)
    # The note is the satisfaction's code: proposals/hooks.py names each such move.
    _move(proposal, after, user=user, note=satisfaction)
    return feedback


@transaction.atomic
def proposal_close(*, user: User | None, proposal: Proposal) -> Proposal:
    proposal = _lock(proposal, S.FEEDBACK)
    return _move(proposal, S.CLOSED, user=user)


# The register -------------------------------------------------------------------------


@transaction.atomic
def register_counter_start(*, user: User | None, kind: str, year: int, last: int) -> None:
    """Continue a year's sequence after numbers issued outside the portal (only forward)."""
    RegisterCounter.objects.bulk_create(
        [RegisterCounter(kind=kind, year=year, last=0)], ignore_conflicts=True
    )
    # Lock: a sign-off running now must not take a number this call is skipping past.
    counter = RegisterCounter.objects.select_for_update().get(kind=kind, year=year)
    if last < counter.last:
        raise ValidationError(
            _("The sequence already stands at %(n)s; it can only move forward.")
            % {"n": counter.last},
            code="backwards",
        )
    counter.last = last
    record_save(counter, user=user, reason="sequence continued from paper register")
