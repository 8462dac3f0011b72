"""Writes of the training: the bureau keeps the sessions and their materials; the bureau and
street officers record attendance within their scope. A refused write writes nothing."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal.choices import Role
from portal.services import record_save

from . import selectors
from .choices import (
    ATTENDANCE_RECORDED,
    ATTENDANCE_REMOVED,
    MATERIAL_ADDED,
    MATERIAL_MAX_BYTES,
    SESSION_CREATED,
    SESSION_EDITED,
)
from .models import Attendance, Material, Session


def _bureau_only(user) -> None:
    if not selectors.can_edit_sessions(user):
        raise ValidationError(_("Only the bureau keeps the training sessions."))


@transaction.atomic
def session_save(
    *,
    user,
    session: Session | None = None,
    topic: str,
    date,
    organiser: str,
    place: str = "",
    description: str = "",
) -> Session:
    """Create a session, or change one (its history keeps the earlier values)."""
    _bureau_only(user)
    creating = session is None
    # Two clerks editing the same session: the later save waits for the earlier one's row.
    session = Session() if creating else Session.objects.select_for_update().get(pk=session.pk)
    session.topic = topic
    session.date = date
    session.organiser = organiser
    session.place = place
    session.description = description
    return record_save(session, user=user, reason=SESSION_CREATED if creating else SESSION_EDITED)


@transaction.atomic
def material_add(*, user, session: Session, title: str, file) -> Material:
    _bureau_only(user)
    if file.size > MATERIAL_MAX_BYTES:
        raise ValidationError(_("The file is larger than 20 MB."))
    material = Material(session=session, title=title, file=file)
    return record_save(material, user=user, reason=MATERIAL_ADDED)


def _refuse_outside(user, streets, communities, firms) -> None:
    if not selectors.can_record_attendance(user):
        raise ValidationError(_("Only the bureau and street officers record attendance."))
    if user.role == Role.BUREAU:
        return
    if firms:
        raise ValidationError(_("Only the bureau records the firms' attendance."))
    if any(s.pk != user.street_id for s in streets) or any(
        c.street_id != user.street_id for c in communities
    ):
        raise ValidationError(
            _("A street officer records only their own street's and its communities' attendance.")
        )


@transaction.atomic
def attendance_record(
    *,
    user,
    session: Session,
    streets: Iterable = (),
    communities: Iterable = (),
    offered_streets: Iterable = (),
    offered_communities: Iterable = (),
) -> tuple[int, int]:
    """Set who of the offered streets and communities attended: those checked (`streets`,
    `communities`) are recorded, the other offered ones lose their record. Everything must
    lie in the user's scope, or nothing is written. Returns (added, removed)."""
    streets, communities = list(streets), list(communities)
    offered_streets, offered_communities = list(offered_streets), list(offered_communities)
    _refuse_outside(user, streets + offered_streets, communities + offered_communities, [])
    # Two recorders of one session: lock the session so the two sets do not interleave.
    Session.objects.select_for_update().filter(pk=session.pk).first()
    existing = {
        (a.street_id, a.community_id): a for a in session.attendances.filter(firm__isnull=True)
    }
    wanted = {(s.pk, None) for s in streets} | {(None, c.pk) for c in communities}
    offered = {(s.pk, None) for s in offered_streets} | {(None, c.pk) for c in offered_communities}
    added = removed = 0
    for street in streets:
        if (street.pk, None) not in existing:
            _add(user, Attendance(session=session, street=street))
            added += 1
    for community in communities:
        if (None, community.pk) not in existing:
            _add(user, Attendance(session=session, community=community))
            added += 1
    for key, attendance in existing.items():
        if key in offered and key not in wanted:
            _remove(user, attendance)
            removed += 1
    return added, removed


def _add(user, attendance: Attendance) -> None:
    attendance.recorded_by = user
    record_save(attendance, user=user, reason=ATTENDANCE_RECORDED)


def _remove(user, attendance: Attendance) -> None:
    attendance._history_user = user
    attendance._change_reason = ATTENDANCE_REMOVED
    attendance.delete()


@transaction.atomic
def firm_attendance_add(*, user, session: Session, firm) -> Attendance:
    _refuse_outside(user, [], [], [firm])
    Session.objects.select_for_update().filter(pk=session.pk).first()
    found = session.attendances.filter(firm=firm).first()
    if found is not None:
        return found
    attendance = Attendance(session=session, firm=firm)
    _add(user, attendance)
    return attendance


@transaction.atomic
def firm_attendance_remove(*, user, session: Session, firm) -> None:
    _refuse_outside(user, [], [], [firm])
    attendance = session.attendances.filter(firm=firm).first()
    if attendance is not None:
        _remove(user, attendance)
