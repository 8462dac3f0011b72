"""Enumerations of the credit app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AssessorRole(models.TextChoices):
    """Who gave an assessment score (评价主体)."""

    STREET = "street", _("Street")
    COMMUNITY = "community", _("Community")
    OWNERS_COMMITTEE = "owners_committee", _("Owners' committee")
    ASSOCIATION = "association", _("Industry association")
    BUREAU = "bureau", _("Bureau")


class EventKind(models.TextChoices):
    """The kind of a credit event (信用事件)."""

    BONUS = "bonus", _("Bonus")
    DEDUCTION = "deduction", _("Deduction")
    VETO = "veto", _("Veto")


class RunStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")
    FAILED = "failed", _("Failed")


ACTIVE_RUN_STATUSES = (RunStatus.PENDING, RunStatus.RUNNING)


class Grade(models.TextChoices):
    A = "A", "A"
    B = "B", "B"
    C = "C", "C"
    D = "D", "D"


class NotRatedReason(models.TextChoices):
    FEW_INDICATORS = "few_indicators", _("Fewer indicators assessed than the rule set requires")


# The reasons the services record in the history; credit/hooks.py gives them their labels.
FROZEN_REASON = "frozen by publication"
IMPORT_REASON = "import"
PUBLISHED_REASON = "published version"  # recorded as "published version #<number>"
RUN_REASON = "rating run"  # recorded as "rating run #<run id>"
