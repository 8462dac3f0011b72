"""What the fund app plugs into the portal (portal/menu.py, workbench.py, files.py, history.py,
pickers.py): its links, each role's to-do items and landing cards, the evidence downloads,
the labels of its recorded changes and the picker of the compounds a fund use is filed for."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from companies.hooks import compound_label
from companies.selectors import compound_search
from portal import files, history, menu, pickers, workbench
from portal.choices import Role
from portal.scoping import is_signed_in

from . import selectors
from .choices import (
    APPLICANT_ROLES,
    OVERDUE_ROLES,
    EmergencyStatus,
    EntryKind,
    ItemProgress,
    OrdinaryStatus,
    PlanStatus,
)
from .models import (
    EmergencyApplication,
    Household,
    MaintenancePlan,
    MaintenancePlanItem,
    OrdinaryApplication,
)
from .services import plan_review_due

# Who acts on an emergency application at each waiting step.
EMERGENCY_STEP_ROLE = {
    EmergencyStatus.FILED: Role.COMMUNITY,
    EmergencyStatus.CERTIFIED: Role.STREET,
    EmergencyStatus.CONFIRMED: Role.BUREAU,
}
# Who acts on a maintenance plan at each waiting status, and what the to-do says.
PLAN_STEPS = {
    PlanStatus.DRAFT: (Role.FIRM, _("Maintenance plans to submit")),
    PlanStatus.RETURNED: (Role.FIRM, _("Maintenance plans returned for changes")),
    PlanStatus.SUBMITTED: (Role.STREET, _("Maintenance plans awaiting street review")),
    PlanStatus.STREET_PASSED: (Role.BUREAU, _("Maintenance plans awaiting bureau approval")),
}
# The bureau's steps of an ordinary use.
ORDINARY_BUREAU_STEPS = {
    OrdinaryStatus.VOTED: _("Ordinary uses awaiting bureau review"),
    OrdinaryStatus.APPROVED: _("Ordinary uses awaiting the first payment"),
    OrdinaryStatus.ACCEPTED: _("Ordinary uses awaiting the final payment"),
}

# The codes the services record as a change's reason (portal/history.py shows their labels).
EMERGENCY_REASONS = {
    "certified": pgettext_lazy("fund history", "certified"),
    "confirmed": pgettext_lazy("fund history", "confirmed"),
    "approved": pgettext_lazy("fund history", "approved"),
    "rejected": pgettext_lazy("fund history", "rejected"),
    "completed": pgettext_lazy("fund history", "completed"),
    "step overdue: escalated": pgettext_lazy("fund history", "step overdue: escalated"),
}
ORDINARY_REASONS = {
    "vote recorded": pgettext_lazy("fund history", "vote recorded"),
    "reviewed": pgettext_lazy("fund history", "reviewed"),
    "first payment": pgettext_lazy("fund history", "first payment"),
    "accepted": pgettext_lazy("fund history", "accepted"),
    "final payment": pgettext_lazy("fund history", "final payment"),
}
PLAN_REASONS = {
    "submitted": pgettext_lazy("fund history", "submitted"),
    "street review": pgettext_lazy("fund history", "street review"),
    "bureau review": pgettext_lazy("fund history", "bureau review"),
    "credit deduction": pgettext_lazy("fund history", "credit deduction"),
}
PLAN_ITEM_REASONS = {"progress": pgettext_lazy("fund history", "progress")}


def _url(name: str, **query) -> str:
    return reverse(name) + (f"?{urlencode(query)}" if query else "")


def _can_see_overdue_plans(user) -> bool:
    return is_signed_in(user) and user.role in OVERDUE_ROLES


# ---------------------------------------------------------------- to-do items


def _emergency_todos(user) -> Iterator[workbench.Todo]:
    """The waiting steps of emergency applications that this role takes."""
    if user.role not in EMERGENCY_STEP_ROLE.values():
        return
    for step in selectors.emergency_board(user=user):
        if EMERGENCY_STEP_ROLE.get(step.status) == user.role:
            yield workbench.Todo(
                label=str(step.label),
                count=step.count,
                capped=step.capped,
                overdue=step.overdue,
                due=step.earliest_due,
                url=_url("funds:emergency_list", status=step.status),
                order=10,
            )


def _plan_todos(user, today) -> Iterator[workbench.Todo]:
    """Plans waiting for this role: the firm's drafts and returned plans, the reviews of the
    street and the bureau; due by the end of the due month of their year."""
    if not any(role == user.role for role, _label in PLAN_STEPS.values()):
        return
    for status, work in selectors.plan_work(user=user, today=today).items():
        role, label = PLAN_STEPS[status]
        if role == user.role:
            yield workbench.Todo(
                label=str(label),
                count=work["count"],
                overdue=work["late"],
                due=plan_review_due(work["year"]) if work["year"] else None,
                url=_url("funds:plan_list", status=status),
                order=30,
            )


def _plan_item_todos(user, today) -> Iterator[workbench.Todo]:
    if user.role == Role.FIRM:
        items = selectors.plan_item_work(user=user, today=today)
        yield workbench.Todo(
            label=str(_("Plan items to report progress on")),
            count=items["due"],
            overdue=items["overdue"],
            url=_url("funds:plan_list", status=PlanStatus.APPROVED),
            order=40,
        )
    elif _can_see_overdue_plans(user):
        overdue = selectors.plan_item_work(user=user, today=today)["overdue"]
        yield workbench.Todo(
            label=str(_("Overdue maintenance plan items")),
            count=overdue,
            overdue=overdue,
            url=reverse("funds:plan_overdue"),
            order=40,
        )


def _ordinary_todos(user, today) -> Iterator[workbench.Todo]:
    """The applicant records the owners' vote and accepts the work; the bureau reviews and
    pays."""
    if user.role not in APPLICANT_ROLES and user.role != Role.BUREAU:
        return
    work = selectors.ordinary_work(user=user, today=today)
    if user.role == Role.BUREAU:
        for status, label in ORDINARY_BUREAU_STEPS.items():
            yield workbench.Todo(
                label=str(label),
                count=work[status],
                url=_url("funds:ordinary_list", status=status),
                order=35,
            )
        return
    yield workbench.Todo(
        label=str(_("Owners' votes to record")),
        count=work["vote_due"],
        url=_url("funds:ordinary_list", status=OrdinaryStatus.PUBLICISED),
        order=20,
    )
    yield workbench.Todo(
        label=str(_("Finished work to accept")),
        count=work[OrdinaryStatus.FIRST_PAID],
        url=_url("funds:ordinary_list", status=OrdinaryStatus.FIRST_PAID),
        order=25,
    )


def _applicant_emergency_todos(user) -> Iterator[workbench.Todo]:
    if user.role in APPLICANT_ROLES:
        counts = selectors.emergency_status_counts(user=user)
        yield workbench.Todo(
            label=str(_("Emergency repairs to report completed")),
            count=counts.get(EmergencyStatus.APPROVED, 0),
            url=_url("funds:emergency_list", status=EmergencyStatus.APPROVED),
            order=15,
        )


def fund_todos(user, today) -> Iterator[workbench.Todo]:
    """What the fund waits for from this user, one query per kind of work."""
    if not is_signed_in(user):
        return
    yield from _emergency_todos(user)
    yield from _applicant_emergency_todos(user)
    yield from _ordinary_todos(user, today)
    yield from _plan_todos(user, today)
    yield from _plan_item_todos(user, today)


# ---------------------------------------------------------------- cards


def compound_card(user, today) -> dict | None:
    """An owners' committee's compound: its fund, plans, applications and votes."""
    account = selectors.accounts_for_user(user=user).first()
    return {
        "account": account,
        "plans": selectors.compound_plans_progress(user=user, today=today),
        "emergencies": selectors.emergencies_latest(user=user),
        "ordinaries": selectors.ordinaries_latest(user=user),
        "votes": selectors.ordinaries_waiting_for_vote(user=user),
        "today": today,
    }


def _status_rows(choices, counts: dict[str, int], url_name: str) -> list[dict]:
    return [
        {"label": label, "count": counts[value], "url": _url(url_name, status=value)}
        for value, label in choices
        if counts.get(value)
    ]


def firm_card(user, today) -> dict | None:
    """A firm's maintenance plans and emergency applications, by status."""
    return {
        "plans": _status_rows(
            PlanStatus.choices, selectors.plan_status_counts(user=user), "funds:plan_list"
        ),
        "items": selectors.plan_item_work(user=user, today=today),
        "emergencies": _status_rows(
            EmergencyStatus.choices,
            selectors.emergency_status_counts(user=user),
            "funds:emergency_list",
        ),
        "rejected": selectors.emergencies_rejected(user=user),
    }


def overdue_plans_card(user, today) -> dict | None:
    """The plans of the area that are late or have overdue items (bureau and street)."""
    plans, count = selectors.plans_overdue(user=user, today=today)
    return {"plans": plans, "count": count}


# ---------------------------------------------------------------- registration


def register() -> None:
    links = [
        (_("Fund accounts"), "funds:account_list", is_signed_in),
        (_("Maintenance plans"), "funds:plan_list", is_signed_in),
        (_("Overdue plan items"), "funds:plan_overdue", _can_see_overdue_plans),
        (_("Emergency use"), "funds:emergency_list", is_signed_in),
        (_("Ordinary use"), "funds:ordinary_list", is_signed_in),
    ]
    for order, (label, url_name, allowed) in enumerate(links):
        menu.register(label, url_name, allowed=allowed, group=menu.FUNDS, order=10 * order)
    menu.register_public(_("Fund notices"), "funds:notice_list", order=30)

    workbench.register_todos(fund_todos)
    workbench.register_card(
        "funds.compound",
        template="funds/card_compound.html",
        context=compound_card,
        roles={Role.OWNERS_COMMITTEE},
        order=20,
    )
    workbench.register_card(
        "funds.firm",
        template="funds/card_firm.html",
        context=firm_card,
        roles={Role.FIRM},
        order=40,
    )
    workbench.register_card(
        "funds.overdue_plans",
        template="funds/card_overdue_plans.html",
        context=overdue_plans_card,
        roles=OVERDUE_ROLES,
        order=40,
    )

    files.register("emergency-quote", rows=selectors.emergencies_for_user, field="quote_file")
    files.register("emergency-evidence", rows=selectors.evidence_for_user, field="file")

    # The compounds a fund use may be filed for: the applicant's, with a fund account.
    pickers.register(
        "fund-compound",
        rows=selectors.compounds_for_applicant,
        search=compound_search,
        label=compound_label,
        related=("community__street",),
    )

    history.register(EmergencyApplication, reasons=EMERGENCY_REASONS, states=EmergencyStatus)
    history.register(OrdinaryApplication, reasons=ORDINARY_REASONS, states=OrdinaryStatus)
    history.register(MaintenancePlan, reasons=PLAN_REASONS, states=PlanStatus)
    history.register(MaintenancePlanItem, reasons=PLAN_ITEM_REASONS, states=ItemProgress)
    # A ledger posting records "<kind> #<posting>" on each household it moved.
    history.register(Household, reasons=dict(EntryKind.choices))
