"""What the training plugs into the portal: the link on the bar, the bureau's and a street
officer's workbench cards (one query each), the materials (portal/files.py) and the history's
labels."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy

from portal import files, history, menu, workbench
from portal.choices import Role

from . import selectors
from .choices import (
    ATTENDANCE_RECORDED,
    ATTENDANCE_REMOVED,
    MATERIAL_ADDED,
    SESSION_CREATED,
    SESSION_EDITED,
)
from .models import Attendance, Material, Session


def bureau_card(user, today: dt.date) -> dict | None:
    """How many of the streets and communities attended this year's training (one query)."""
    figures = selectors.coverage(year=today.year)
    if not figures.streets:
        return None
    return {"figures": figures, "year": today.year}


def street_card(user, today: dt.date) -> dict | None:
    """Whether the officer's street attended this year, and which communities did not."""
    status = selectors.street_status(user=user, year=today.year)
    if status is None:
        return None
    attended, missing = status
    return {"attended": attended, "missing": missing, "year": today.year}


def register() -> None:
    menu.register(
        gettext_lazy("Training"),
        "training:session_list",
        allowed=selectors.can_read_training,
        order=60,
    )
    workbench.register_card(
        "training.coverage",
        template="training/card_coverage.html",
        context=bureau_card,
        roles={Role.BUREAU},
        order=85,
        width="col-lg-6",
    )
    workbench.register_card(
        "training.street",
        template="training/card_street.html",
        context=street_card,
        roles={Role.STREET},
        order=85,
        width="col-lg-6",
    )
    files.register(
        "training-material",
        rows=selectors.materials_for_user,
        field="file",
        name=lambda m: m.download_name,
    )
    reasons = {
        SESSION_CREATED: gettext_lazy("training session created"),
        SESSION_EDITED: gettext_lazy("training session edited"),
        MATERIAL_ADDED: gettext_lazy("training material added"),
        ATTENDANCE_RECORDED: gettext_lazy("attendance recorded"),
        ATTENDANCE_REMOVED: gettext_lazy("attendance removed"),
    }
    history.register(Session, reasons=reasons)
    history.register(Material, reasons=reasons)
    history.register(Attendance, reasons=reasons)
