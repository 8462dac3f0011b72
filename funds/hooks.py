"""What the fund app plugs into the portal (portal/menu.py, workbench.py, files.py)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal import menu, workbench
from portal.choices import Role
from portal.scoping import is_signed_in

from . import selectors
from .choices import EmergencyStatus

# Who acts on an emergency application at each waiting step.
EMERGENCY_STEP_ROLE = {
    EmergencyStatus.FILED: Role.COMMUNITY,
    EmergencyStatus.CERTIFIED: Role.STREET,
    EmergencyStatus.CONFIRMED: Role.BUREAU,
}


def _declares_or_reviews_plans(user) -> bool:
    return is_signed_in(user) and user.role not in {Role.OWNERS_COMMITTEE, Role.ASSOCIATION}


def _sees_overdue_plans(user) -> bool:
    return is_signed_in(user) and user.role in {Role.BUREAU, Role.STREET}


def fund_todos(user, today):
    """Emergency applications waiting for the user's step; overdue plan items to follow up."""
    for step in selectors.emergency_board(user=user):
        if EMERGENCY_STEP_ROLE.get(step.status) == user.role:
            yield workbench.Todo(
                label=str(step.label),
                count=step.count,
                overdue=step.overdue,
                url=reverse("funds:emergency_list") + f"?status={step.status}",
                order=10,
            )
    if _sees_overdue_plans(user):
        yield workbench.Todo(
            label=str(_("Overdue maintenance plan items")),
            count=selectors.overdue_plan_items(user=user, today=today).count(),
            url=reverse("funds:plan_overdue"),
            order=40,
        )


def register() -> None:
    links = [
        (_("Fund accounts"), "funds:account_list", is_signed_in),
        (_("Maintenance plans"), "funds:plan_list", _declares_or_reviews_plans),
        (_("Overdue plan items"), "funds:plan_overdue", _sees_overdue_plans),
        (_("Emergency use"), "funds:emergency_list", is_signed_in),
        (_("Ordinary use"), "funds:ordinary_list", is_signed_in),
    ]
    for order, (label, url_name, allowed) in enumerate(links):
        menu.register(label, url_name, allowed=allowed, group=menu.FUNDS, order=10 * order)
    menu.register_public(_("Fund notices"), "funds:notice_list", order=30)
    workbench.register_todos(fund_todos)
