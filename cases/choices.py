"""Enumerations and rules of the cases (社区预警、街道吹哨、部门报到), shared by services and
selectors so that the two never import each other."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")
    CRITICAL = "critical", _("Critical")


class CaseState(models.TextChoices):
    RAISED = "raised", _("Awaiting the street's review")
    WHISTLED = "whistled", _("Departments reporting")
    CLOSED = "closed", _("Awaiting the community's confirmation")
    CONFIRMED = "confirmed", _("Confirmed resolved")


class Step(models.TextChoices):
    """The steps of a case that have a deadline."""

    REVIEW = "review", _("Street review")
    REPORT = "report", _("Department report")
    CLOSE = "close", _("Closing the case")
    CONFIRM = "confirm", _("Confirmation")


@dataclass(frozen=True)
class StepDays:
    """Calendar days allowed for each step of a case of one urgency."""

    review: int
    report: int
    close: int
    confirm: int


# The deadlines by urgency, in calendar days from the start of each step (a case is a safety
# matter: weekends count). A department reports within `report` days of the whistle: 紧急 1,
# 较急 3, 一般 7. Override with the setting CASES_DEADLINE_DAYS = {"critical": [1, 1, 1, 2], …}.
DEFAULT_DEADLINE_DAYS: dict[str, StepDays] = {
    Urgency.CRITICAL: StepDays(review=1, report=1, close=1, confirm=2),
    Urgency.URGENT: StepDays(review=1, report=3, close=2, confirm=3),
    Urgency.NORMAL: StepDays(review=2, report=7, close=3, confirm=5),
}

PHOTO_EXTENSIONS = ("jpg", "jpeg", "png")
MAX_PHOTOS = 6

# The reasons the services record in the history; hooks.py gives them their labels.
RAISED_REASON = "warning raised"
HANDLED_REASON = "handled by the street"
WHISTLED_REASON = "whistle blown"
REPORTED_REASON = "department reported"
CLOSED_REASON = "case closed"
CONFIRMED_REASON = "confirmed on the spot"
REOPENED_REASON = "reopened by the community"
CREDIT_REASON = "credit event recorded"


def step_days(urgency: str) -> StepDays:
    configured = settings.CASES_DEADLINE_DAYS
    if urgency in configured:
        return StepDays(*configured[urgency])
    return DEFAULT_DEADLINE_DAYS[urgency]


def due_after(start: dt.datetime, *, urgency: str, step: str) -> dt.datetime:
    """The deadline of `step` of a case of `urgency` begun at `start`."""
    return start + dt.timedelta(days=getattr(step_days(urgency), step))


def photo_max_bytes() -> int:
    return settings.CASES_PHOTO_MAX_BYTES


def credit_points_default() -> Decimal:
    return Decimal(settings.CASES_CREDIT_POINTS)
