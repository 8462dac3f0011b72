"""Rectification to the end (整改闭环): writes and reads of the notices after their issue.

A rectification notice carries findings, required measures and a deadline. The firm answers
with its measures and evidence files; the bureau, or the street it delegated the notice to,
re-inspects the answer and accepts it (rectified) or sends it back with reasons, keeping or
extending the deadline. Each answer and verdict is a round, kept. Past its deadline an open
notice is flagged and escalates: a summons (约谈: date, place, then minutes), then the public
key-supervision list (重点监管名单), which the notice leaves when it is finally accepted. With
one action the bureau turns an unfulfilled notice into a deduction credit event linked to it.

Clocks: the rectification deadline and its extensions are calendar days (settings
CREDIT_RECTIFICATION_DAYS, as the notices are issued); the rule set sets no decision days for
a re-inspection, so none is counted in working days here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from companies.models import Firm
from portal.choices import Role
from portal.models import Street, User
from portal.scoping import is_bureau, is_signed_in
from portal.services import record_save, refusal

# credit.services first: credit.publication imports it, and it imports credit.publication back.
from .services.events import credit_event_create  # isort: skip
from . import selectors
from .choices import EventKind
from .models import (
    CommendationPolicy,
    CreditEvent,
    CreditNotice,
    KeySupervisionEntry,
    NoticeEvidence,
    NoticeKind,
    NoticeRound,
    NoticeStatus,
    Summons,
    Verdict,
)
from .publication import check_attachment, max_attachments

# The deduction proposed when an unfulfilled notice becomes a credit event; the bureau may
# enter other points.
DEFAULT_DEDUCTION_POINTS = Decimal("5.00")
# The reasons recorded in the history (portal/history.py labels them).
ACCEPTED_REASON = f"{NoticeStatus.ANSWERED} → {NoticeStatus.RECTIFIED}"
SENT_BACK_REASON = f"{NoticeStatus.ANSWERED} → {NoticeStatus.SENT_BACK}"
# Statuses from which an answer may be sent: first time, or again after a send-back.
ANSWERABLE = (NoticeStatus.ISSUED, NoticeStatus.SENT_BACK)


def _bureau_only(user: User | None) -> None:
    if user is not None and not is_bureau(user):
        raise refusal(_("Only bureau staff may do this."), "not_allowed")


def _lock(notice: CreditNotice) -> CreditNotice:
    return CreditNotice.objects.select_for_update().get(pk=notice.pk)


def _rectification_only(notice: CreditNotice) -> None:
    if not notice.is_rectification:
        raise refusal(_("Only a rectification notice is followed up."), "not_rectification")


# --- who may do what -------------------------------------------------------------------------


def can_see_notices(user: User) -> bool:
    """The readers of the publications, and street officers (the notices delegated to them)."""
    return selectors.can_see_publications(user) or (is_signed_in(user) and user.role == Role.STREET)


def can_reinspect(user: User, notice: CreditNotice) -> bool:
    """The bureau, or an officer of the street the notice was delegated to."""
    if is_bureau(user):
        return True
    return (
        is_signed_in(user)
        and user.role == Role.STREET
        and notice.delegated_street_id is not None
        and notice.delegated_street_id == user.street_id
    )


def is_escalable(notice: CreditNotice, today: dt.date) -> bool:
    """A rectification notice past its deadline that the firm did not fulfil (still waiting
    for its answer, or closed as overdue): it may be escalated (a summons, the key-supervision
    list) and turned into a deduction. An answer waiting for its re-inspection is not."""
    return (
        notice.is_rectification
        and notice.status in (*ANSWERABLE, NoticeStatus.OVERDUE)
        and notice.deadline is not None
        and notice.deadline < today
    )


# --- reads -----------------------------------------------------------------------------------


def notice_rounds(notice: CreditNotice) -> list[NoticeRound]:
    """The notice's rounds, oldest first, with their evidence and people."""
    return list(
        notice.rounds.select_related("answered_by", "inspected_by")
        .prefetch_related("evidence")
        .order_by("number")
    )


def notice_summonses(notice: CreditNotice) -> list[Summons]:
    return list(notice.summonses.select_related("created_by", "recorded_by"))


def notice_key_supervision(notice: CreditNotice) -> list[KeySupervisionEntry]:
    return list(notice.key_supervision.select_related("listed_by").order_by("since", "pk"))


def notice_evidence_for_user(*, user: User) -> QuerySet[NoticeEvidence]:
    """The evidence files of the notices the user may see (for portal/files.py)."""
    return NoticeEvidence.objects.filter(
        round__notice__in=selectors.notices_for_user(user=user).values("pk")
    )


def key_supervision_current() -> QuerySet[KeySupervisionEntry]:
    """The public key-supervision list: the entries not removed, newest first."""
    return (
        KeySupervisionEntry.objects.filter(removed_at__isnull=True)
        .select_related("firm", "notice__publication")
        .order_by("-since", "firm__credit_code")
    )


def commendation_years() -> list[int]:
    return list(
        CreditNotice.objects.filter(kind=NoticeKind.COMMENDATION)
        .order_by("-publication__year")
        .values_list("publication__year", flat=True)
        .distinct()
    )


def commendations_of(year: int) -> QuerySet[CreditNotice]:
    return (
        CreditNotice.objects.filter(kind=NoticeKind.COMMENDATION, publication__year=year)
        .select_related("firm", "publication", "version")
        .order_by("-score", "firm__credit_code")
    )


def commendation_policy(year: int) -> CommendationPolicy | None:
    return CommendationPolicy.objects.filter(year=year).first()


def notices_to_reinspect(*, user: User) -> list[CreditNotice]:
    """The answers waiting for the user's re-inspection: all for the bureau, the delegated
    ones for a street officer."""
    queryset = selectors.notices_for_user(user=user).filter(
        kind=NoticeKind.RECTIFICATION, status=NoticeStatus.ANSWERED
    )
    if not is_bureau(user):
        queryset = queryset.filter(delegated_street_id=user.street_id)
    return list(queryset.order_by("responded_at", "pk"))


def notices_sent_back(*, user: User) -> list[CreditNotice]:
    """The firm's notices sent back after a re-inspection, to answer again (the notices to
    answer the first time are selectors.notices_to_answer)."""
    return list(
        selectors.notices_for_user(user=user)
        .filter(kind=NoticeKind.RECTIFICATION, status=NoticeStatus.SENT_BACK)
        .order_by("deadline", "pk")
    )


def street_notices_past_deadline(*, user: User, today: dt.date) -> list[CreditNotice]:
    """The street's delegated notices still open past their deadline."""
    return list(
        selectors.notices_for_user(user=user)
        .filter(kind=NoticeKind.RECTIFICATION, status__in=ANSWERABLE, deadline__lt=today)
        .order_by("deadline", "pk")
    )


# --- on issue --------------------------------------------------------------------------------


def findings_for(*, year: int, firm_ids: Iterable[int]) -> dict[int, str]:
    """Firm id -> the findings of its notice: the vetoes and deductions of its rated year, one
    line each (the reasons of its grade). One query."""
    lines: dict[int, list[str]] = {}
    for firm_id, kind, points, reason in (
        CreditEvent.objects.filter(
            year=year, firm_id__in=list(firm_ids), kind__in=[EventKind.DEDUCTION, EventKind.VETO]
        )
        .order_by("firm_id", "date", "pk")
        .values_list("firm_id", "kind", "points", "reason")
    ):
        label = "一票否决" if kind == EventKind.VETO else f"扣{points}分"
        lines.setdefault(firm_id, []).append(f"{reason}（{label}）")
    return {firm_id: "\n".join(rows) for firm_id, rows in lines.items()}


# Written in the city's language: it is the text of a notice sent to the firm.
DEFAULT_MEASURES = (
    "对照评价扣分事项逐项整改，完善物业服务制度和台账，"
    "在整改期限内提交整改报告及佐证材料，接受复查。"
)


# --- the bureau prepares and delegates -------------------------------------------------------


@transaction.atomic
def notice_edit(
    *, user: User, notice: CreditNotice, findings: str, measures: str, deadline: dt.date
) -> CreditNotice:
    """The bureau edits the findings, measures and deadline while the firm has not answered."""
    _bureau_only(user)
    # Lock: the firm answering while the bureau edits what it answers to.
    notice = _lock(notice)
    _rectification_only(notice)
    if notice.status != NoticeStatus.ISSUED:
        raise refusal(_("Only a notice not yet answered may be edited."), "not_issued")
    if deadline < timezone.localdate(notice.issued_at):
        raise refusal(_("The deadline cannot precede the notice."), "deadline", "deadline")
    notice.findings = (findings or "").strip()
    notice.measures = (measures or "").strip()
    notice.deadline = deadline
    return record_save(notice, user=user)


@transaction.atomic
def notice_delegate(*, user: User, notice: CreditNotice, street: Street | None) -> CreditNotice:
    """The bureau delegates the re-inspection to one street (or takes it back with None)."""
    _bureau_only(user)
    notice = _lock(notice)
    _rectification_only(notice)
    if not notice.is_open:
        raise refusal(_("This notice is closed."), "closed")
    notice.delegated_street = street
    return record_save(notice, user=user)


# --- the firm answers ------------------------------------------------------------------------


@transaction.atomic
def notice_respond(
    *,
    user: User,
    notice: CreditNotice,
    text: str,
    files: Sequence[UploadedFile] = (),
) -> CreditNotice:
    """The firm answers its rectification notice with the measures it took and evidence
    files; a new round waits for the re-inspection."""
    # Lock: the firm answering while the bureau edits or closes the notice.
    notice = _lock(notice)
    if not is_signed_in(user) or user.role != Role.FIRM or notice.firm_id != user.firm_id:
        raise refusal(_("Only the firm the notice is addressed to may answer it."), "not_own")
    if not notice.is_rectification:
        raise refusal(_("A commendation notice needs no answer."), "no_answer_needed")
    if not notice.is_open:
        raise refusal(_("This notice is closed."), "closed")
    if notice.status not in ANSWERABLE:
        raise refusal(_("Your answer is waiting for its re-inspection."), "awaiting_verdict")
    text = (text or "").strip()
    if not text:
        raise refusal(_("Say what was rectified."), "text_required", "text")
    files = list(files or [])
    if len(files) > max_attachments():
        raise refusal(_("At most %(n)s files.") % {"n": max_attachments()}, "too_many", "files")
    for upload in files:
        check_attachment(upload, field="files")
    now = timezone.now()
    round_ = NoticeRound(
        notice=notice,
        number=notice.rounds.count() + 1,
        answer=text,
        answered_at=now,
        answered_by=user,
        deadline_before=notice.deadline,
    )
    record_save(round_, user=user)
    for upload in files:
        evidence = NoticeEvidence(round=round_, file=upload, name=upload.name[:200])
        evidence.full_clean(exclude=["round"])
        evidence.save()
    reason = f"{notice.status} → {NoticeStatus.ANSWERED}"
    notice.response = text
    notice.responded_by = user
    notice.responded_at = now
    notice.status = NoticeStatus.ANSWERED
    return record_save(notice, user=user, reason=reason)


# --- re-inspection ---------------------------------------------------------------------------


def _remove_from_key_supervision(notice: CreditNotice, user: User, now: dt.datetime) -> None:
    for entry in notice.key_supervision.filter(removed_at__isnull=True):
        entry.removed_at = now
        entry.removal_reason = "整改通过复查"
        record_save(entry, user=user)


@transaction.atomic
def notice_reinspect(
    *,
    user: User,
    notice: CreditNotice,
    verdict: str,
    reasons: str = "",
    deadline: dt.date | None = None,
) -> CreditNotice:
    """The bureau, or the delegated street, re-inspects the firm's answer: accepted closes the
    notice as rectified (and takes the firm off the key-supervision list for it); sent back,
    with reasons, reopens it for the firm with the deadline kept or extended."""
    # Lock: two inspectors deciding the same answer at once.
    notice = _lock(notice)
    if not can_reinspect(user, notice):
        raise refusal(_("Only the bureau or the delegated street may re-inspect."), "not_allowed")
    _rectification_only(notice)
    if notice.status != NoticeStatus.ANSWERED:
        raise refusal(_("Only an answered notice is re-inspected."), "not_answered")
    reasons = (reasons or "").strip()
    round_ = notice.rounds.select_for_update().order_by("-number").first()
    now = timezone.now()
    if verdict == Verdict.ACCEPTED:
        notice.status = NoticeStatus.RECTIFIED
        notice.closing_note = reasons
        notice.closed_by = user
        notice.closed_at = now
        reason = ACCEPTED_REASON
        _remove_from_key_supervision(notice, user, now)
    elif verdict == Verdict.SENT_BACK:
        if not reasons:
            raise refusal(_("Give the reasons for sending it back."), "reasons_required", "reasons")
        deadline = deadline or notice.deadline
        if deadline < notice.deadline:
            raise refusal(
                _("The deadline may be kept or extended, not shortened."), "deadline", "deadline"
            )
        notice.deadline = deadline
        notice.status = NoticeStatus.SENT_BACK
        reason = SENT_BACK_REASON
    else:
        raise refusal(_("Choose accepted or sent back."), "verdict", "verdict")
    if round_ is not None:
        round_.verdict = verdict
        round_.reasons = reasons
        round_.inspected_by = user
        round_.inspected_at = now
        round_.deadline_after = notice.deadline if verdict == Verdict.SENT_BACK else None
        record_save(round_, user=user)
    return record_save(notice, user=user, reason=reason)


@transaction.atomic
def notice_close(
    *, user: User | None, notice: CreditNotice, outcome: str = NoticeStatus.OVERDUE, note: str = ""
) -> CreditNotice:
    """The bureau closes an open rectification notice as unfulfilled (overdue) once its
    deadline has passed; acceptance goes through the re-inspection."""
    _bureau_only(user)
    # Lock: two clerks closing the same notice (or the firm answering) at once.
    notice = _lock(notice)
    _rectification_only(notice)
    if not notice.is_open:
        raise refusal(_("This notice is closed already."), "closed")
    if outcome != NoticeStatus.OVERDUE:
        raise refusal(_("A notice is accepted by its re-inspection."), "outcome", "outcome")
    if timezone.localdate() <= notice.deadline:
        raise refusal(
            _("The deadline (%(date)s) has not passed yet.") % {"date": notice.deadline},
            "not_overdue",
        )
    notice.status = NoticeStatus.OVERDUE
    notice.closing_note = (note or "").strip()
    notice.closed_by = user
    notice.closed_at = timezone.now()
    return record_save(notice, user=user)


# --- escalation ------------------------------------------------------------------------------


def _escalable(notice: CreditNotice) -> None:
    _rectification_only(notice)
    if not is_escalable(notice, timezone.localdate()):
        raise refusal(
            _("Only a notice past its deadline and not rectified is escalated."), "not_overdue"
        )


@transaction.atomic
def summons_schedule(
    *, user: User, notice: CreditNotice, scheduled_at: dt.datetime, place: str
) -> Summons:
    """The bureau summons the firm (约谈) over a notice past its deadline."""
    _bureau_only(user)
    notice = _lock(notice)
    _escalable(notice)
    place = (place or "").strip()
    if not place:
        raise refusal(_("Say where the summons takes place."), "place_required", "place")
    summons = Summons(
        notice=notice,
        scheduled_at=scheduled_at,
        place=place,
        created_by=user,
        created_at=timezone.now(),
    )
    return record_save(summons, user=user)


@transaction.atomic
def summons_record_minutes(*, user: User, summons: Summons, minutes: str) -> Summons:
    """The minutes of a summons that took place."""
    _bureau_only(user)
    summons = Summons.objects.select_for_update().get(pk=summons.pk)
    if summons.is_held:
        raise refusal(_("The minutes of this summons are recorded already."), "recorded")
    if summons.scheduled_at > timezone.now():
        raise refusal(_("The summons has not taken place yet."), "not_held")
    minutes = (minutes or "").strip()
    if not minutes:
        raise refusal(_("Write the minutes."), "minutes_required", "minutes")
    summons.minutes = minutes
    summons.recorded_at = timezone.now()
    summons.recorded_by = user
    return record_save(summons, user=user)


@transaction.atomic
def key_supervision_add(*, user: User, notice: CreditNotice, reason: str) -> KeySupervisionEntry:
    """The bureau puts the firm on the key-supervision list over a notice past its deadline
    whose summons was held."""
    _bureau_only(user)
    notice = _lock(notice)
    _escalable(notice)
    if not notice.summonses.filter(recorded_at__isnull=False).exists():
        raise refusal(_("Hold a summons before the key-supervision list."), "no_summons")
    if notice.key_supervision.filter(removed_at__isnull=True).exists():
        raise refusal(_("The firm is on the key-supervision list for this notice."), "listed")
    reason = (reason or "").strip()
    if not reason:
        raise refusal(_("Give the reason for the listing."), "reason_required", "reason")
    entry = KeySupervisionEntry(
        notice=notice,
        firm_id=notice.firm_id,
        reason=reason,
        since=timezone.localdate(),
        listed_by=user,
    )
    return record_save(entry, user=user)


# --- the deduction ---------------------------------------------------------------------------


@transaction.atomic
def notice_convert_to_deduction(
    *, user: User, notice: CreditNotice, points: Decimal = DEFAULT_DEDUCTION_POINTS
) -> CreditEvent:
    """The bureau turns an unfulfilled notice (past its deadline, not rectified) into a
    deduction of the year it is recorded in, linked to the notice; an open notice is closed as
    overdue."""
    _bureau_only(user)
    # Lock: two clerks converting the same notice at once would deduct twice.
    notice = _lock(notice)
    _escalable(notice)
    if notice.deduction_event_id:
        raise refusal(_("This notice is a deduction already."), "converted")
    if points is None or points <= 0:
        raise refusal(_("Enter the points to deduct."), "points", "points")
    today = timezone.localdate()
    event = credit_event_create(
        user=user,
        year=today.year,
        firm=Firm.objects.get(pk=notice.firm_id),
        kind=EventKind.DEDUCTION,
        points=points,
        date=today,
        reason=f"逾期未完成整改：{notice.publication.year}年度整改通知（编号{notice.pk}，"
        f"整改期限{notice.deadline:%Y-%m-%d}）",
    )
    notice.deduction_event = event
    reason = ""
    if notice.is_open:
        reason = f"{notice.status} → {NoticeStatus.OVERDUE}"
        notice.status = NoticeStatus.OVERDUE
        notice.closed_by = user
        notice.closed_at = timezone.now()
    record_save(notice, user=user, reason=reason)
    return event


# --- commendations ---------------------------------------------------------------------------


@transaction.atomic
def commendation_policy_set(*, user: User, year: int, text: str) -> CommendationPolicy:
    """The bureau sets the policy support that follows a commendation of `year`."""
    _bureau_only(user)
    text = (text or "").strip()
    if not text:
        raise refusal(_("Write the policy support."), "text_required", "text")
    policy = CommendationPolicy.objects.select_for_update().filter(year=year).first()
    policy = policy or CommendationPolicy(year=year)
    policy.text = text
    policy.updated_by = user
    return record_save(policy, user=user)
