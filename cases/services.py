"""Writes of the cases: a community's warning, the street's review (handled itself, or the
whistle to departments), the departments' reports, closing, the community's confirmation or
reopening, and the bureau's credit event. Each records who did it in the history; nothing
moves by itself when a deadline passes (no step is approved by silence)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from companies.models import Compound
from credit.choices import EventKind
from credit.services.events import credit_event_create
from portal.choices import Role
from portal.models import Department, User
from portal.services import record_save, refusal

from . import selectors
from .choices import (
    CLOSED_REASON,
    CONFIRMED_REASON,
    CREDIT_REASON,
    HANDLED_REASON,
    MAX_PHOTOS,
    PHOTO_EXTENSIONS,
    RAISED_REASON,
    REOPENED_REASON,
    REPORTED_REASON,
    WHISTLED_REASON,
    CaseState,
    Step,
    Urgency,
    due_after,
    photo_max_bytes,
)
from .models import Case, CasePhoto, Category, Dispatch

# The first bytes of the accepted photo types: a renamed file of another kind is refused.
PHOTO_SIGNATURES = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")


def _text(value: str | None) -> str:
    return (value or "").strip()


def _lock(case: Case) -> Case:
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related("compound__community", "compound__firm")
        .get(pk=case.pk)
    )


def _street_of_case(user: User, case: Case) -> None:
    if not (user.role == Role.STREET and user.street_id == case.compound.community.street_id):
        raise refusal(_("Only the street of the compound may do this."), "not_street")


def _community_of_case(user: User, case: Case) -> None:
    if not (user.role == Role.COMMUNITY and user.community_id == case.compound.community_id):
        raise refusal(_("Only the community of the compound may do this."), "not_community")


def check_photo(upload: UploadedFile) -> None:
    """A JPG or PNG no larger than the limit, whose bytes say so too."""
    name = upload.name or ""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    head = upload.read(8)
    upload.seek(0)
    if ext not in PHOTO_EXTENSIONS or not head.startswith(PHOTO_SIGNATURES):
        raise refusal(
            _("%(name)s: only JPG and PNG photos are accepted.") % {"name": name},
            "photo_type",
            "photos",
        )
    if upload.size > photo_max_bytes():
        raise refusal(
            _("%(name)s is larger than %(mb)s MB.")
            % {"name": name, "mb": round(photo_max_bytes() / 1024 / 1024, 1)},
            "photo_size",
            "photos",
        )


# --- the community's warning ------------------------------------------------------------------


@transaction.atomic
def case_raise(
    *,
    user: User,
    compound: Compound,
    category: Category,
    description: str,
    urgency: str,
    photos: Sequence[UploadedFile] = (),
    now: dt.datetime | None = None,
) -> Case:
    """A community officer warns about a compound of their own community."""
    if not (user.role == Role.COMMUNITY and compound.community_id == user.community_id):
        raise refusal(
            _("A warning can only be raised by the community of the compound."),
            "not_community",
            "compound",
        )
    if not category.active:
        raise refusal(_("This category is no longer in use."), "category", "category")
    if urgency not in Urgency.values:
        raise refusal(_("Choose the urgency."), "urgency", "urgency")
    if len(photos) > MAX_PHOTOS:
        raise refusal(_("At most %(n)s photos.") % {"n": MAX_PHOTOS}, "photo_count", "photos")
    for photo in photos:
        check_photo(photo)
    description = _text(description)
    if not description:
        raise refusal(_("Describe what you found."), "description", "description")
    now = now or timezone.now()
    case = Case(
        compound=compound,
        category=category,
        description=description,
        urgency=urgency,
        raised_by=user,
        raised_at=now,
        review_due=due_after(now, urgency=urgency, step=Step.REVIEW),
    )
    record_save(case, user=user, reason=RAISED_REASON)
    for photo in photos:
        row = CasePhoto(case=case, file=photo, name=photo.name[:200], size=photo.size)
        row.full_clean(exclude=["case"])
        row.save()
    return case


# --- the street's review ----------------------------------------------------------------------


def _reviewable(user: User, case: Case) -> Case:
    # Lock: two officers of the street reviewing the same warning at once.
    case = _lock(case)
    _street_of_case(user, case)
    if case.state != CaseState.RAISED:
        raise refusal(_("This warning is reviewed already."), "reviewed")
    return case


@transaction.atomic
def case_handle(*, user: User, case: Case, note: str, now: dt.datetime | None = None) -> Case:
    """The street handles the warning itself and says how; the community then confirms."""
    case = _reviewable(user, case)
    note = _text(note)
    if not note:
        raise refusal(_("Say how the street handled it."), "note_required", "note")
    now = now or timezone.now()
    case.reviewed_by = case.closed_by = user
    case.reviewed_at = case.closed_at = now
    case.handled_by_street = True
    case.street_note = note
    case.state = CaseState.CLOSED
    case.confirm_due = due_after(now, urgency=case.urgency, step=Step.CONFIRM)
    return record_save(case, user=user, reason=HANDLED_REASON)


@transaction.atomic
def case_whistle(
    *,
    user: User,
    case: Case,
    departments: Sequence[Department],
    note: str = "",
    now: dt.datetime | None = None,
) -> Case:
    """The street blows the whistle (吹哨): each named department must report by the deadline
    of the case's urgency."""
    case = _reviewable(user, case)
    departments = list({d.pk: d for d in departments}.values())
    if not departments:
        raise refusal(_("Name at least one department."), "no_department", "departments")
    if any(not d.active for d in departments):
        raise refusal(_("A department named is no longer in use."), "inactive", "departments")
    now = now or timezone.now()
    due = due_after(now, urgency=case.urgency, step=Step.REPORT)
    case.reviewed_by = user
    case.reviewed_at = now
    case.handled_by_street = False
    case.street_note = _text(note)
    case.state = CaseState.WHISTLED
    record_save(case, user=user, reason=WHISTLED_REASON)
    for department in departments:
        dispatch = Dispatch(
            case=case,
            department=department,
            round=case.round,
            dispatched_by=user,
            dispatched_at=now,
            due=due,
        )
        record_save(dispatch, user=user, reason=WHISTLED_REASON)
    return case


# --- the departments' reports -----------------------------------------------------------------


@transaction.atomic
def dispatch_report(
    *, user: User, dispatch: Dispatch, action: str, result: str, now: dt.datetime | None = None
) -> Dispatch:
    """A department reports (报到) what it did and what came of it; once per whistle."""
    # Lock the case first: the last two departments reporting at once both set its close_due.
    case = _lock(dispatch.case)
    dispatch = Dispatch.objects.select_for_update().get(pk=dispatch.pk)
    if not (user.role == Role.DEPARTMENT and user.department_id == dispatch.department_id):
        raise refusal(_("This case was not sent to your department."), "not_department")
    if dispatch.is_reported:
        raise refusal(_("Your department has reported on this case already."), "reported")
    if case.state != CaseState.WHISTLED or dispatch.round != case.round:
        raise refusal(_("This case no longer waits for your report."), "not_waiting")
    action, result = _text(action), _text(result)
    if not result:
        raise refusal(_("Say what came of it."), "result_required", "result")
    now = now or timezone.now()
    dispatch.action = action
    dispatch.result = result
    dispatch.reported_by = user
    dispatch.reported_at = now
    record_save(dispatch, user=user, reason=REPORTED_REASON)
    if not case.dispatches.filter(round=case.round, reported_at__isnull=True).exists():
        # The closing step starts with the last report.
        case.reports_done_at = now
        case.close_due = due_after(now, urgency=case.urgency, step=Step.CLOSE)
        record_save(case, user=user, reason=REPORTED_REASON)
    return dispatch


# --- closing and confirmation -----------------------------------------------------------------


@transaction.atomic
def case_close(*, user: User, case: Case, note: str = "", now: dt.datetime | None = None) -> Case:
    """The street closes the case once every department it whistled to has reported."""
    # Lock: a department's report arriving while the street closes.
    case = _lock(case)
    _street_of_case(user, case)
    if case.state != CaseState.WHISTLED:
        raise refusal(_("Only a case sent to departments is closed this way."), "not_whistled")
    silent = list(
        case.dispatches.filter(round=case.round, reported_at__isnull=True)
        .select_related("department")
        .order_by("department__order")
    )
    if silent:
        raise refusal(
            _("Not every department has reported: %(names)s.")
            % {"names": "、".join(d.department.name for d in silent)},
            "silent_departments",
        )
    now = now or timezone.now()
    case.closed_by = user
    case.closed_at = now
    case.close_note = _text(note)
    case.state = CaseState.CLOSED
    case.confirm_due = due_after(now, urgency=case.urgency, step=Step.CONFIRM)
    return record_save(case, user=user, reason=CLOSED_REASON)


@transaction.atomic
def case_confirm(
    *, user: User, case: Case, resolved: bool, note: str = "", now: dt.datetime | None = None
) -> Case:
    """The community checks on the spot: resolved (confirmed), or not, and then the case goes
    back to the street for a new review, with the reasons."""
    # Lock: two officers of the community answering at once.
    case = _lock(case)
    _community_of_case(user, case)
    if case.state != CaseState.CLOSED:
        raise refusal(_("This case is not waiting for confirmation."), "not_closed")
    note = _text(note)
    now = now or timezone.now()
    if resolved:
        case.confirmed_by = user
        case.confirmed_at = now
        case.confirm_note = note
        case.state = CaseState.CONFIRMED
        return record_save(case, user=user, reason=CONFIRMED_REASON)
    if not note:
        raise refusal(_("Say why it is not resolved."), "reason_required", "note")
    case.reopen_reason = note
    case.state = CaseState.RAISED
    case.round += 1
    case.review_due = due_after(now, urgency=case.urgency, step=Step.REVIEW)
    case.reviewed_by = case.closed_by = None
    case.reviewed_at = case.closed_at = None
    case.reports_done_at = case.close_due = case.confirm_due = None
    case.handled_by_street = False
    return record_save(case, user=user, reason=REOPENED_REASON)


# --- the credit event -------------------------------------------------------------------------


@transaction.atomic
def case_credit_event(
    *,
    user: User,
    case: Case,
    points: Decimal,
    reason: str = "",
    date: dt.date | None = None,
) -> Case:
    """The bureau turns a confirmed case into a deduction of the managing firm, linked to it."""
    if not selectors.can_record_credit(user):
        raise refusal(_("Only bureau staff may do this."), "not_bureau")
    # Lock: two clerks recording the same case's event at once.
    case = _lock(case)
    if case.state != CaseState.CONFIRMED:
        raise refusal(_("Only a confirmed case can become a credit event."), "not_confirmed")
    if case.credit_event_id:
        raise refusal(_("This case is a credit event already."), "has_event")
    firm = case.compound.firm
    if firm is None:
        raise refusal(_("No firm manages this compound."), "no_firm")
    if points is None or points <= 0:
        raise refusal(_("Enter the points to deduct."), "points", "points")
    date = date or timezone.localdate(case.confirmed_at)
    reason = _text(reason) or _("Case #%(number)s: %(category)s at %(compound)s") % {
        "number": case.pk,
        "category": case.category.name,
        "compound": case.compound.name,
    }
    event = credit_event_create(
        user=user,
        year=date.year,
        firm=firm,
        kind=EventKind.DEDUCTION,
        points=points,
        date=date,
        reason=reason[:500],
    )
    case.credit_event = event
    return record_save(case, user=user, reason=CREDIT_REASON)
