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
    ANSWERED_REASON,
    DEDUCTED_REASON,
    PLAN_PUBLISHED_REASON,
    RECTIFICATION_REASON,
    RECTIFIED_REASON,
    RESULT_RECORDED_REASON,
    SENT_BACK_REASON,
    CheckState,
    PlanStatus,
)
from .models import Check, Plan


def _one_or_list(pks: list[int]) -> str:
    if len(pks) == 1:
        return reverse("supervision:check_detail", args=[pks[0]])
    return reverse("supervision:check_list")


def _first_or_list(count: int, first: int | None) -> str:
    return _one_or_list([first] if count == 1 else [])


def spot_check_todos(user, today: dt.date):
    """Inspectors: their checks to record (by the plan's end) and the firms' rectifications
    of their checks to review (the bureau: all of them). Bureau: checks that found issues,
    awaiting a rectification order, and rectifications past their date (red). Firm:
    rectifications ordered after a check (or sent back)."""
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
        figures = selectors.bureau_check_figures(today=today)
        yield workbench.Todo(
            label=_("Spot checks with issues: order the firm to rectify"),
            count=figures["issues"],
            url=_first_or_list(figures["issues"], figures["first_issues"]),
            order=31,
        )
        yield workbench.Todo(
            label=_("Spot-check rectifications to review"),
            count=figures["answered"],
            url=_first_or_list(figures["answered"], figures["first_answered"]),
            order=33,
        )
        yield workbench.Todo(
            label=_("Spot-check rectifications past their deadline"),
            count=figures["late"],
            overdue=figures["late"],
            due=figures["late_due"],
            url=_first_or_list(figures["late"], figures["first_late"]),
            order=34,
        )
    elif selectors.may_inspect(user):
        pks = list(selectors.rectifications_to_review(user=user).values_list("pk", flat=True))
        yield workbench.Todo(
            label=_("Spot-check rectifications to review"),
            count=len(pks),
            url=_one_or_list(pks),
            order=33,
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
    files.register(
        "spot-check-rectification",
        rows=selectors.rectification_evidence_for_user,
        field="file",
        name=lambda evidence: evidence.name,
    )
    history.register(
        Check,
        reasons={
            RESULT_RECORDED_REASON: gettext_lazy("result recorded"),
            RECTIFICATION_REASON: gettext_lazy("rectification ordered"),
            ANSWERED_REASON: gettext_lazy("rectification answered"),
            RECTIFIED_REASON: gettext_lazy("rectification accepted"),
            SENT_BACK_REASON: gettext_lazy("rectification sent back"),
            DEDUCTED_REASON: gettext_lazy("credit deduction recorded"),
        },
        states=CheckState,
    )
