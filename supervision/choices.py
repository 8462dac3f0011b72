"""Enumerations and rules of the spot checks (双随机一公开), shared by services and selectors."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class CheckState(models.TextChoices):
    DRAWN = "drawn", _("To inspect")
    PASSED = "passed", _("Passed")
    ISSUES = "issues", _("Issues found")
    RECTIFICATION = "rectification", _("Rectification ordered")
    ANSWERED = "answered", _("Rectification answered")
    RECTIFIED = "rectified", _("Rectified")
    DEDUCTED = "deducted", _("Credit deduction recorded")


# The states in which the firm owes a rectification (answered: it waits on the reviewer).
RECTIFYING_STATES = (CheckState.RECTIFICATION, CheckState.ANSWERED)


class Outcome(models.TextChoices):
    PASS = "pass", _("Pass")
    ISSUES = "issues", _("Issues found")


# What an inspector looks at on site: code, label. The codes are stored in a check's result.
CHECKLIST: list[tuple[str, str]] = [
    ("fire_lanes", _("Fire lanes clear (消防通道畅通)")),
    ("elevator_records", _("Elevator maintenance records (电梯维保记录)")),
    ("water_supply", _("Secondary water supply (二次供水)")),
    ("sanitation", _("Environmental sanitation (环境卫生)")),
    ("notice_board", _("Public notice board (公示栏)")),
    ("safety_hazards", _("No safety hazards (安全隐患排查)")),
]

# Checks a year by the firm's published grade: D monthly, C quarterly, B twice a year, A yearly.
DEFAULT_CHECKS_PER_YEAR = {"A": 1, "B": 2, "C": 4, "D": 12}
# A firm without a published grade (new, or not rated) is checked as often as grade C.
UNGRADED_AS = "C"
INSPECTORS_PER_CHECK = 2
PHOTO_EXTENSIONS = ("jpg", "jpeg", "png")
# The files of a firm's answer: as the credit app's attachments.
EVIDENCE_EXTENSIONS = ("pdf", "jpg", "jpeg", "png")
MAX_PHOTOS = 6

# The reasons the services record in the history; hooks.py gives them their labels.
PLAN_PUBLISHED_REASON = "plan drawn and published"
RESULT_RECORDED_REASON = "result recorded"
RECTIFICATION_REASON = "rectification ordered"
ANSWERED_REASON = "rectification answered"
RECTIFIED_REASON = "rectification accepted"
SENT_BACK_REASON = "rectification sent back"
DEDUCTED_REASON = "credit deduction recorded"
# The most points one spot check's deduction may take off a firm's record.
DEDUCTION_MAX_POINTS = 10


def photo_max_bytes() -> int:
    return settings.SUPERVISION_PHOTO_MAX_BYTES


def rectification_days() -> int:
    """As long as a black-list firm has to rectify (the credit app's setting)."""
    return getattr(settings, "CREDIT_RECTIFICATION_DAYS", 30)
