"""Yearly maintenance plans of the firms: declaration, reviews, progress, deduction."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from companies.models import Compound
from portal.choices import Role
from portal.models import User
from portal.services import record_save

from ..choices import PLAN_EDITABLE, ItemProgress, PlanStatus
from ..models import MaintenancePlan, MaintenancePlanItem
from .common import _in_scope, _refuse, _require_bureau, clean_money


def plan_due_month() -> int:
    """A plan not approved by the end of this month of its year is late (default March)."""
    return settings.FUNDS_PLAN_DUE_MONTH


def _lock_plan(plan: MaintenancePlan) -> MaintenancePlan:
    # Two people acting on the same plan at once (a street officer passing it while the
    # firm adds an item, two clerks approving) would both pass the status check.
    return (
        MaintenancePlan.objects.select_for_update()
        .select_related("compound__community__street", "firm")
        .get(pk=plan.pk)
    )


def _require_plan_step(plan: MaintenancePlan, *expected: str) -> None:
    if plan.status not in expected:
        raise ValidationError(
            _(
                "This step cannot be taken now: the plan is at “%(status)s”. "
                "Steps cannot be skipped."
            )
            % {"status": plan.get_status_display()},
            code="wrong_step",
        )


def _require_plan_firm(user: User | None, plan: MaintenancePlan) -> None:
    """The firm that declared the plan, while it still manages the compound."""
    if not (
        user
        and user.is_authenticated
        and user.role == Role.FIRM
        and user.firm_id == plan.firm_id
        and _in_scope(user, plan.compound)
    ):
        raise _refuse(
            _("Only the firm that declared this plan may change it or report its progress.")
        )


def _require_plan_street(user: User | None, plan: MaintenancePlan) -> None:
    if not (
        user
        and user.is_authenticated
        and user.role == Role.STREET
        and user.street_id == plan.compound.community.street_id
    ):
        raise _refuse(
            _("Only an officer of the street of %(compound)s may review this plan.")
            % {"compound": plan.compound}
        )


@transaction.atomic
def plan_create(*, user: User, compound: Compound, year: int) -> MaintenancePlan:
    """The managing firm opens its plan of `year` for a compound (a draft)."""
    if not (
        user
        and user.is_authenticated
        and user.role == Role.FIRM
        and user.firm_id
        and compound.firm_id == user.firm_id
    ):
        raise _refuse(
            _("Only the firm managing %(compound)s may declare its maintenance plan.")
            % {"compound": compound}
        )
    if MaintenancePlan.objects.filter(compound=compound, year=year).exists():
        raise ValidationError(
            {
                "year": ValidationError(
                    _("%(compound)s already has a maintenance plan for %(year)s.")
                    % {"compound": compound, "year": year},
                    code="exists",
                )
            }
        )
    return record_save(
        MaintenancePlan(compound=compound, firm_id=user.firm_id, year=year, created_by=user),
        user=user,
    )


@transaction.atomic
def plan_item_add(
    *,
    user: User,
    plan: MaintenancePlan,
    facility: str,
    work: str,
    planned_month: int,
    estimated_cost,
    funding_source: str,
) -> MaintenancePlanItem:
    """Add an item to a draft or returned plan."""
    plan = _lock_plan(plan)
    _require_plan_firm(user, plan)
    _require_plan_step(plan, *PLAN_EDITABLE)
    item = MaintenancePlanItem(
        plan=plan,
        facility=(facility or "").strip(),
        work=(work or "").strip(),
        planned_month=planned_month,
        estimated_cost=clean_money(estimated_cost, field="estimated_cost"),
        funding_source=funding_source,
    )
    return record_save(item, user=user)


@transaction.atomic
def plan_item_remove(*, user: User, item: MaintenancePlanItem) -> None:
    """Take an item out of a plan that is still being drafted (or was returned)."""
    plan = _lock_plan(item.plan)
    _require_plan_firm(user, plan)
    _require_plan_step(plan, *PLAN_EDITABLE)
    item._history_user = user
    item.delete()


@transaction.atomic
def plan_submit(*, user: User, plan: MaintenancePlan) -> MaintenancePlan:
    """The firm submits the plan to the street."""
    plan = _lock_plan(plan)
    _require_plan_firm(user, plan)
    _require_plan_step(plan, *PLAN_EDITABLE)
    if not plan.items.exists():
        raise ValidationError(_("Add at least one item before submitting the plan."), code="empty")
    plan.status = PlanStatus.SUBMITTED
    plan.submitted_at = timezone.now()
    return record_save(plan, user=user, reason="submitted")


@transaction.atomic
def plan_street_review(
    *, user: User, plan: MaintenancePlan, passed: bool, comment: str = ""
) -> MaintenancePlan:
    """The street passes the plan on to the bureau, or returns it to the firm with comments."""
    plan = _lock_plan(plan)
    _require_plan_street(user, plan)
    _require_plan_step(plan, PlanStatus.SUBMITTED)
    comment = (comment or "").strip()
    if not passed and not comment:
        raise ValidationError(
            {"comment": ValidationError(_("Say why the plan is returned."), code="comment")}
        )
    plan.status = PlanStatus.STREET_PASSED if passed else PlanStatus.RETURNED
    plan.street_reviewed_at, plan.street_reviewed_by = timezone.now(), user
    plan.street_comment = comment
    return record_save(plan, user=user, reason="street review")


@transaction.atomic
def plan_bureau_review(
    *, user: User, plan: MaintenancePlan, approve: bool, comment: str = ""
) -> MaintenancePlan:
    """The bureau approves the plan the street passed, or returns it with comments."""
    _require_bureau(user)
    plan = _lock_plan(plan)
    _require_plan_step(plan, PlanStatus.STREET_PASSED)
    comment = (comment or "").strip()
    if not approve and not comment:
        raise ValidationError(
            {"comment": ValidationError(_("Say why the plan is returned."), code="comment")}
        )
    plan.status = PlanStatus.APPROVED if approve else PlanStatus.RETURNED
    plan.bureau_reviewed_by = user
    plan.approved_at = timezone.now() if approve else None
    plan.bureau_comment = comment
    return record_save(plan, user=user, reason="bureau review")


@transaction.atomic
def plan_item_progress(
    *,
    user: User,
    item: MaintenancePlanItem,
    progress: str,
    date: dt.date | None = None,
    note: str = "",
) -> MaintenancePlanItem:
    """The firm reports how far an item of its approved plan has got."""
    plan = _lock_plan(item.plan)
    _require_plan_firm(user, plan)
    _require_plan_step(plan, PlanStatus.APPROVED)
    item = MaintenancePlanItem.objects.select_for_update().get(pk=item.pk, plan=plan)
    if progress not in ItemProgress.values:
        raise ValidationError(
            {"progress": ValidationError(_("Choose a valid progress."), code="invalid")}
        )
    date = date or timezone.localdate()
    if date > timezone.localdate():
        raise ValidationError(
            {"date": ValidationError(_("The date cannot be in the future."), code="future")}
        )
    item.progress, item.progress_date, item.progress_note = progress, date, (note or "").strip()
    return record_save(item, user=user, reason="progress")


def plan_is_late(plan: MaintenancePlan, today: dt.date | None = None) -> bool:
    """Not approved by the end of its due month (FUNDS_PLAN_DUE_MONTH of its year)."""
    today = today or timezone.localdate()
    return plan.status != PlanStatus.APPROVED and (today.year, today.month) > (
        plan.year,
        plan_due_month(),
    )


def plan_late_q(today: dt.date) -> Q:
    """The plans `plan_is_late` finds late, as a filter: not approved, and the due month of
    their year is over."""
    due_passed = Q(year__lt=today.year)
    if today.month > plan_due_month():
        due_passed |= Q(year=today.year)
    return due_passed & ~Q(status=PlanStatus.APPROVED)


def plan_review_due(year: int) -> dt.date:
    """The last day a plan of `year` may be approved on time (the end of its due month)."""
    month = plan_due_month()
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


def plan_overdue_items(plan: MaintenancePlan, today: dt.date | None = None):
    return MaintenancePlanItem.objects.filter(plan=plan).overdue(today)


@transaction.atomic
def plan_credit_deduct(
    *, user: User, plan: MaintenancePlan, points, reason: str
) -> MaintenancePlan:
    """The bureau turns a late or unfulfilled plan into a credit deduction of its firm."""
    from credit.choices import EventKind
    from credit.services import credit_event_create

    _require_bureau(user)
    plan = _lock_plan(plan)
    if plan.credit_event_id:
        raise ValidationError(
            _("This plan has already led to a credit deduction."), code="already_deducted"
        )
    today = timezone.localdate()
    if not (plan_is_late(plan, today) or plan_overdue_items(plan, today).exists()):
        raise ValidationError(
            _("This plan is neither late nor has overdue items: there is nothing to deduct for."),
            code="not_late",
        )
    points = clean_money(points, field="points")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": ValidationError(_("Give the reason for the deduction."), code="reason")}
        )
    # The deduction counts in the plan's year; made later, it is dated the year's last day.
    date = min(today, dt.date(plan.year, 12, 31))
    event = credit_event_create(
        user=user,
        year=plan.year,
        firm=plan.firm,
        kind=EventKind.DEDUCTION,
        points=points,
        date=date,
        reason=_("Maintenance plan %(year)s of %(compound)s: %(reason)s")
        % {"year": plan.year, "compound": plan.compound, "reason": reason},
    )
    plan.credit_event = event
    return record_save(plan, user=user, reason="credit deduction")
