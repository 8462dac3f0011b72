"""The lists and settings of the complaints: sources, outcomes, verification, the deadlines."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# Hand-entered complaints get an order number of their own, never one of the hotline's.
MANUAL_PREFIX = "SG"

CREATED_REASON = "complaint entered"
IMPORTED_REASON = "hotline import"
MATCHED_REASON = "address matched"
ANSWERED_REASON = "firm answered"
VERIFIED_REASON = "community verified"
FORMULA_REASON = "formula set"


class Source(models.TextChoices):
    HOTLINE = "hotline", _("12345 hotline")
    MANUAL = "manual", _("entered by hand")


class Verification(models.TextChoices):
    RESOLVED = "resolved", _("resolved")
    NOT_RESOLVED = "not_resolved", _("not resolved")


def answer_days() -> int:
    """Working days (工作日, credit/workdays.py) the firm has to answer, after the day the
    complaint was received."""
    return settings.COMPLAINTS_ANSWER_DAYS


def verify_days() -> int:
    """Working days the community has to verify, after the day the firm answered."""
    return settings.COMPLAINTS_VERIFY_DAYS


def due_after(day: dt.date, n: int) -> dt.date:
    from credit.workdays import working_days_after

    return working_days_after(day, n)
