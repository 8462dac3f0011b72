"""What the demonstration projects plug into the portal: the links on the bar (the public
list for everyone), each role's to-do (one query), the evidence files and history labels."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext_lazy

from companies.models import Compound
from portal import files, history, menu, workbench
from portal.choices import Role

from . import selectors
from .choices import (
    COMMUNITY_REASON,
    DECIDED_REASON,
    PUBLISHED_REASON,
    RED_HEART_REASON,
    RESUBMITTED_REASON,
    STREET_REASON,
    SUBMITTED_REASON,
    State,
)
from .models import Application, Publication

TODO_LABELS = {
    Role.COMMUNITY: gettext_lazy("Red-heart applications to recommend"),
    Role.STREET: gettext_lazy("Red-heart applications to recommend"),
    Role.BUREAU: gettext_lazy("Red-heart applications to approve"),
    Role.FIRM: gettext_lazy("Red-heart applications not recommended"),
}


def demonstration_todos(user, today: dt.date):
    """Community and street: recommendations waiting; bureau: approvals waiting; firm: its
    applications sent back. One query each; overdue ones red."""
    summary = selectors.waiting_summary(user=user, today=today)
    if not summary or not summary["count"]:
        return
    if summary["count"] == 1:
        url = reverse("demonstrations:application_detail", args=[summary["first"]])
    else:
        url = reverse("demonstrations:application_list") + "?todo=1"
    yield workbench.Todo(
        label=str(TODO_LABELS[user.role]),
        count=summary["count"],
        due=summary["due"],
        overdue=summary["overdue"],
        url=url,
        order=45,
    )


def register() -> None:
    menu.register(
        gettext_lazy("Red-heart applications"),
        "demonstrations:application_list",
        allowed=selectors.can_read,
        order=60,
    )
    menu.register_public(
        gettext_lazy("Red-heart demonstration projects"),
        "demonstrations:public_current",
        order=40,
    )
    workbench.register_todos(demonstration_todos)
    files.register(
        "demonstration-evidence",
        rows=selectors.files_for_user,
        field="file",
        name=lambda row: row.name,
    )
    history.register(
        Application,
        reasons={
            SUBMITTED_REASON: gettext_lazy("applied"),
            RESUBMITTED_REASON: gettext_lazy("applied again"),
            COMMUNITY_REASON: gettext_lazy("community answered"),
            STREET_REASON: gettext_lazy("street answered"),
            DECIDED_REASON: gettext_lazy("bureau decided"),
        },
        states=State,
    )
    history.register(Publication, reasons={PUBLISHED_REASON: gettext_lazy("list published")})
    history.register(
        Compound, reasons={RED_HEART_REASON: gettext_lazy("approved as a red-heart project")}
    )
