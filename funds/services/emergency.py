"""Emergency use of the fund (应急使用): file, certify, confirm, approve, complete."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from companies.models import Compound
from portal.choices import Role
from portal.models import User
from portal.services import record_save

from ..choices import EMERGENCY_WAITING, EmergencyStatus, NoticeKind, Scope
from ..models import EmergencyApplication, EmergencyEvidence, default_step_hours
from .common import (
    _account_of,
    _refuse,
    _require_applicant,
    _require_bureau,
    _scope_households,
    clean_money,
    notice_days,
)
from .ledger import disbursement_post
from .notices import _notice, _shares_snapshot


def _step_due(application: EmergencyApplication, start: dt.datetime) -> dt.datetime:
    return start + dt.timedelta(hours=application.step_hours)


def _lock_emergency(application: EmergencyApplication) -> EmergencyApplication:
    # Two officers acting on the same application at once would both pass the status check.
    return (
        EmergencyApplication.objects.select_for_update()
        .select_related("compound__community__street")
        .get(pk=application.pk)
    )


def _require_step(application: EmergencyApplication, expected: str) -> None:
    if application.status == expected:
        return
    if application.status in EMERGENCY_WAITING:
        raise ValidationError(
            _(
                "This step cannot be taken now: the application is at the step "
                "“%(status)s”. Steps cannot be skipped."
            )
            % {"status": application.get_status_display()},
            code="wrong_step",
        )
    raise ValidationError(
        _("This application is no longer waiting for this step (%(status)s).")
        % {"status": application.get_status_display()},
        code="wrong_step",
    )


def _require_certifier(user: User | None, application: EmergencyApplication) -> None:
    compound = application.compound
    if not (
        user
        and user.is_authenticated
        and user.role == Role.COMMUNITY
        and user.community_id == compound.community_id
    ):
        raise _refuse(
            _("Only an officer of the community of %(compound)s may certify this emergency.")
            % {"compound": compound}
        )


def _require_confirmer(user: User | None, application: EmergencyApplication) -> None:
    compound = application.compound
    if not (
        user
        and user.is_authenticated
        and user.role == Role.STREET
        and user.street_id == compound.community.street_id
    ):
        raise _refuse(
            _("Only an officer of the street of %(compound)s may confirm this emergency.")
            % {"compound": compound}
        )


def _advance(application: EmergencyApplication, status: str, now: dt.datetime) -> None:
    application.status = status
    application.step_started_at = now
    application.step_due_at = _step_due(application, now) if status in EMERGENCY_WAITING else None
    application.escalated_at = None


@transaction.atomic
def emergency_file(
    *,
    user: User,
    compound: Compound,
    kind: str,
    title: str,
    description: str,
    quote_amount,
    scope: str = Scope.COMPOUND,
    building: str = "",
    unit: str = "",
    quote_file=None,
    evidence_files: Iterable = (),
    step_hours: int | None = None,
) -> EmergencyApplication:
    """The firm or the owners' committee files an emergency with its quote and evidence."""
    _require_applicant(user, compound)
    amount = clean_money(quote_amount, field="quote_amount")
    account = _account_of(compound)
    now = timezone.now()
    application = EmergencyApplication(
        compound=compound,
        kind=kind,
        title=title,
        description=description,
        quote_amount=amount,
        scope=scope,
        building=building,
        unit=unit,
        status=EmergencyStatus.FILED,
        step_hours=step_hours or default_step_hours(),
        filed_at=now,
        filed_by=user,
        step_started_at=now,
    )
    if quote_file:
        application.quote_file = quote_file
    application.step_due_at = _step_due(application, now)
    application.full_clean()  # scope fields are normalised by clean() before the check below
    _scope_households(
        account, scope=application.scope, building=application.building, unit=application.unit
    )
    record_save(application, user=user)
    for f in evidence_files:
        record_evidence = EmergencyEvidence(
            application=application, file=f, uploaded_at=now, uploaded_by=user
        )
        record_evidence.full_clean()
        record_evidence.save()
    return application


@transaction.atomic
def emergency_certify(*, user: User, application: EmergencyApplication) -> EmergencyApplication:
    """The community certifies that the emergency is real (its own compounds only)."""
    application = _lock_emergency(application)
    _require_certifier(user, application)
    _require_step(application, EmergencyStatus.FILED)
    now = timezone.now()
    application.certified_at, application.certified_by = now, user
    _advance(application, EmergencyStatus.CERTIFIED, now)
    return record_save(application, user=user, reason="certified")


@transaction.atomic
def emergency_confirm(*, user: User, application: EmergencyApplication) -> EmergencyApplication:
    """The street confirms the certified emergency (its own street only)."""
    application = _lock_emergency(application)
    _require_confirmer(user, application)
    _require_step(application, EmergencyStatus.CERTIFIED)
    now = timezone.now()
    application.confirmed_at, application.confirmed_by = now, user
    _advance(application, EmergencyStatus.CONFIRMED, now)
    return record_save(application, user=user, reason="confirmed")


@transaction.atomic
def emergency_approve(
    *, user: User, application: EmergencyApplication, amount=None
) -> EmergencyApplication:
    """The bureau approves: the cost is disbursed, shared by floor area, and publicised."""
    _require_bureau(user)
    application = _lock_emergency(application)
    _require_step(application, EmergencyStatus.CONFIRMED)
    amount = clean_money(
        application.quote_amount if amount in (None, "") else amount, field="amount"
    )
    if amount > application.quote_amount:
        raise ValidationError(
            {
                "amount": _("The approved cost cannot exceed the quote (%(quote)s yuan).")
                % {"quote": application.quote_amount}
            }
        )
    account = _account_of(application.compound)
    posting = disbursement_post(
        user=user,
        account=account,
        amount=amount,
        scope=application.scope,
        building=application.building,
        unit=application.unit,
        memo=_("Emergency use: %(title)s") % {"title": application.title},
        emergency=application,
    )
    now = timezone.now()
    application.approved_at, application.approved_by = now, user
    application.approved_amount = amount
    _advance(application, EmergencyStatus.APPROVED, now)
    record_save(application, user=user, reason="approved")
    _notice(
        user=user,
        compound=application.compound,
        kind=NoticeKind.EMERGENCY,
        title=_("Emergency use of the maintenance fund: %(title)s") % {"title": application.title},
        body=_(
            "%(kind)s. %(description)s\nScope: %(scope)s. Approved cost: %(amount)s yuan, "
            "shared by floor area among the households below."
        )
        % {
            "kind": application.get_kind_display(),
            "description": application.description,
            "scope": application.scope_label,
            "amount": amount,
        },
        days=notice_days(),
        amount=amount,
        shares=_shares_snapshot([posting]),
        emergency=application,
    )
    return application


@transaction.atomic
def emergency_reject(
    *, user: User, application: EmergencyApplication, reason: str
) -> EmergencyApplication:
    """Whoever holds the current step may reject, with a reason; nothing is disbursed."""
    application = _lock_emergency(application)
    if application.status not in EMERGENCY_WAITING:
        _require_step(application, EmergencyStatus.FILED)  # raises the "no longer" message
    if application.status == EmergencyStatus.FILED:
        _require_certifier(user, application)
    elif application.status == EmergencyStatus.CERTIFIED:
        _require_confirmer(user, application)
    else:
        _require_bureau(user)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the rejection.")})
    now = timezone.now()
    application.rejected_at, application.rejected_by = now, user
    application.reject_reason = reason.strip()
    _advance(application, EmergencyStatus.REJECTED, now)
    return record_save(application, user=user, reason="rejected")


@transaction.atomic
def emergency_complete(
    *, user: User, application: EmergencyApplication, completed_on: dt.date | None = None
) -> EmergencyApplication:
    """The applicant reports the repair done."""
    application = _lock_emergency(application)
    _require_applicant(user, application.compound)
    _require_step(application, EmergencyStatus.APPROVED)
    completed_on = completed_on or timezone.localdate()
    if completed_on > timezone.localdate():
        raise ValidationError({"completed_on": _("The completion date cannot be in the future.")})
    application.completed_on = completed_on
    _advance(application, EmergencyStatus.COMPLETED, timezone.now())
    return record_save(application, user=user, reason="completed")


@transaction.atomic
def emergency_escalate_overdue(*, now: dt.datetime | None = None) -> int:
    """Mark overdue steps escalated (shown in red to the bureau); never approves anything."""
    now = now or timezone.now()
    count = 0
    overdue = (
        EmergencyApplication.objects.overdue(now)
        .filter(escalated_at__isnull=True)
        .select_for_update(skip_locked=True)
    )
    for application in overdue:
        application.escalated_at = now
        record_save(application, user=None, reason="step overdue: escalated")
        count += 1
    return count
