"""What the cases plug into the portal: the link on the bar, each role's to-do items (overdue
steps red for the street and escalated to the bureau), the photos (portal/files.py) and the
history's labels."""

from __future__ import annotations

import datetime as dt

from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import files, history, menu, workbench
from portal.choices import Role
from portal.scoping import is_signed_in

from . import selectors
from .choices import (
    CLOSED_REASON,
    CONFIRMED_REASON,
    CREDIT_REASON,
    HANDLED_REASON,
    RAISED_REASON,
    REOPENED_REASON,
    REPORTED_REASON,
    WHISTLED_REASON,
    CaseState,
)
from .models import Case, Dispatch


def _case_url(waiting, list_query: str) -> str:
    if waiting.count == 1:
        return reverse("cases:case_detail", args=[waiting.pk])
    return reverse("cases:case_list") + list_query


# The label, list filter and order of each kind of waiting work (selectors.waiting_work).
WAITING_TODOS = {
    "confirm": (gettext_lazy("Cases to confirm on the spot"), "?state=closed", 40),
    "review": (gettext_lazy("Warnings to review"), "?state=raised", 40),
    "close": (gettext_lazy("Cases to close: every department reported"), "?state=whistled", 41),
    "credit": (
        gettext_lazy("Confirmed cases: decide on a credit event"),
        "?state=confirmed&credit=none",
        42,
    ),
}


def case_todos(user, today: dt.date):
    """Community: cases to confirm. Street: warnings to review, cases to close and every
    overdue step of its street (red). Department: reports to make. Bureau: every overdue
    step, escalated to it, and confirmed cases awaiting its credit decision. One query each."""
    if not (is_signed_in(user) and selectors.can_read_cases(user)):
        return
    now = timezone.now()
    for name, waiting in selectors.waiting_work(user=user, now=now).items():
        if name == "overdue":
            label = (
                _("Overdue case steps escalated to the bureau")
                if user.role == Role.BUREAU
                else _("Cases with an overdue step")
            )
            query, order = "?overdue=1", 39
        else:
            label, query, order = WAITING_TODOS[name]
        yield workbench.Todo(
            label=str(label),
            count=waiting.count,
            due=waiting.due,
            overdue=waiting.overdue,
            url=_case_url(waiting, query),
            order=order,
        )
    if user.role == Role.DEPARTMENT:
        rows = list(selectors.dispatches_to_report(user=user).values("case_id", deadline=F("due")))
        dues = [row["deadline"] for row in rows]
        yield workbench.Todo(
            label=_("Cases to report on"),
            count=len(rows),
            due=min(dues) if dues else None,
            overdue=sum(due < now for due in dues),
            url=reverse("cases:case_detail", args=[rows[0]["case_id"]])
            if len(rows) == 1
            else reverse("cases:case_list") + "?todo=1",
            order=40,
        )


# A group of the bar: the bureau's holds the list and the figures; for everyone else the
# group of one is a plain link.
CASES_GROUP = gettext_lazy("Cases")


def register() -> None:
    menu.register(
        gettext_lazy("Cases"),
        "cases:case_list",
        allowed=selectors.can_read_cases,
        group=CASES_GROUP,
        order=10,
    )
    menu.register(
        gettext_lazy("Case figures"),
        "cases:figures",
        allowed=selectors.can_read_figures,
        group=CASES_GROUP,
        order=20,
    )
    workbench.register_todos(case_todos)
    files.register(
        "case-photo", rows=selectors.photos_for_user, field="file", name=lambda p: p.name
    )
    reasons = {
        RAISED_REASON: gettext_lazy("warning raised"),
        HANDLED_REASON: gettext_lazy("handled by the street"),
        WHISTLED_REASON: gettext_lazy("whistle blown"),
        REPORTED_REASON: gettext_lazy("department reported"),
        CLOSED_REASON: gettext_lazy("case closed"),
        CONFIRMED_REASON: gettext_lazy("confirmed on the spot"),
        REOPENED_REASON: gettext_lazy("reopened by the community"),
        CREDIT_REASON: gettext_lazy("credit event recorded"),
    }
    history.register(Case, reasons=reasons, states=CaseState)
    history.register(Dispatch, reasons=reasons)
