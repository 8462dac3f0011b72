"""What the spot checks plug into the portal: the public plans and the checks on the bar, the
inspectors' and the bureau's to-do items, the photos (portal/files.py) and history labels."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import files, history, menu, workbench
from portal.choices import Role
from portal.scoping import is_signed_in

from . import selectors
from .choices import (
    PLAN_PUBLISHED_REASON,
    RECTIFICATION_REASON,
    RESULT_RECORDED_REASON,
    CheckState,
    PlanStatus,
)
from .models import Check, Plan


def _one_or_list(pks: list[int]) -> str:
    if len(pks) == 1:
        return reverse("supervision:check_detail", args=[pks[0]])
    return reverse("supervision:check_list")


def spot_check_todos(user, today: dt.date):
    """Inspectors: their checks to record (by the plan's end). Bureau: checks that found
    issues, awaiting a rectification order. Firm: rectifications ordered after a check."""
    if not is_signed_in(user):
        return
    if selectors.may_inspect(user):
        mine = list(selectors.checks_to_record(user=user).values("pk", "plan__end"))
        yield workbench.Todo(
            label=_("Spot checks to inspect and record"),
            count=len(mine),
            due=mine[0]["plan__end"] if mine else None,
            overdue=sum(row["plan__end"] < today for row in mine),
            url=_one_or_list([row["pk"] for row in mine]),
            order=30,
        )
    if selectors.can_plan(user):
        pks = list(selectors.checks_awaiting_rectification_order().values_list("pk", flat=True))
        yield workbench.Todo(
            label=_("Spot checks with issues: order the firm to rectify"),
            count=len(pks),
            url=_one_or_list(pks),
            order=31,
        )
    if user.role == Role.FIRM:
        rows = list(
            selectors.rectifications_for_firm(user=user)
            .values("pk", "rectify_by")
            .order_by("rectify_by")
        )
        yield workbench.Todo(
            label=_("Spot-check issues to rectify"),
            count=len(rows),
            due=rows[0]["rectify_by"] if rows else None,
            overdue=sum(row["rectify_by"] < today for row in rows),
            url=reverse("supervision:check_detail", args=[rows[0]["pk"]])
            if len(rows) == 1
            else reverse("supervision:check_list"),
            order=32,
        )


def register() -> None:
    menu.register_public(gettext_lazy("Spot-check plans"), "supervision:plan_list", order=40)
    menu.register(
        gettext_lazy("Spot checks"),
        "supervision:check_list",
        allowed=selectors.can_read_checks,
        group=menu.CREDIT,
        order=80,
    )
    workbench.register_todos(spot_check_todos)
    files.register(
        "spot-check-photo",
        rows=selectors.photos_for_user,
        field="file",
        name=lambda photo: photo.name,
    )
    history.register(
        Plan,
        reasons={PLAN_PUBLISHED_REASON: gettext_lazy("drawn and published")},
        states=PlanStatus,
    )
    history.register(
        Check,
        reasons={
            RESULT_RECORDED_REASON: gettext_lazy("result recorded"),
            RECTIFICATION_REASON: gettext_lazy("rectification ordered"),
        },
        states=CheckState,
    )
