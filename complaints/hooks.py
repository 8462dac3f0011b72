"""What the complaints plug into the portal: the link on the bar, the to-dos (a firm's answers
and a community's verifications, overdue red; the bureau's unmatched orders), the history."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import history, menu, workbench
from portal.scoping import is_signed_in

from . import selectors
from .choices import (
    ANSWERED_REASON,
    CREATED_REASON,
    FORMULA_REASON,
    IMPORTED_REASON,
    MATCHED_REASON,
    VERIFIED_REASON,
)
from .models import AddressMatch, Complaint, PetitionsFormula


def complaint_todos(user, today: dt.date):
    """One query: a firm's complaints to answer, a community's to verify (overdue red), the
    bureau's orders waiting for a clerk to match their address."""
    if not (is_signed_in(user) and selectors.can_read(user)):
        return
    for name, waiting in selectors.waiting_work(user=user, today=today).items():
        if name == "match":
            label, url = _("Hotline orders to match"), reverse("complaints:unmatched")
        elif name == "answer":
            label, url = (
                _("Complaints to answer"),
                reverse("complaints:complaint_list") + "?step=answer",
            )
        else:
            label, url = (
                _("Complaints to verify"),
                reverse("complaints:complaint_list") + "?step=verify",
            )
        yield workbench.Todo(
            label=label,
            count=waiting.count,
            due=waiting.due,
            overdue=waiting.overdue,
            url=url,
            order=45,
        )


COMPLAINTS_GROUP = gettext_lazy("Cases")


def register() -> None:
    menu.register(
        gettext_lazy("Owners' complaints"),
        "complaints:complaint_list",
        allowed=selectors.can_read,
        group=COMPLAINTS_GROUP,
        order=30,
    )
    workbench.register_todos(complaint_todos)
    reasons = {
        CREATED_REASON: gettext_lazy("complaint entered"),
        IMPORTED_REASON: gettext_lazy("hotline import"),
        MATCHED_REASON: gettext_lazy("address matched"),
        ANSWERED_REASON: gettext_lazy("firm answered"),
        VERIFIED_REASON: gettext_lazy("community verified"),
        FORMULA_REASON: gettext_lazy("formula set"),
    }
    history.register(Complaint, reasons=reasons)
    history.register(AddressMatch, reasons=reasons)
    history.register(PetitionsFormula, reasons=reasons)
