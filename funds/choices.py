"""Enumerations of the maintenance fund."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.choices import Role

# Who files fund uses, records the owners' vote, accepts the work: the managing firm and the
# owners' committee of the compound.
APPLICANT_ROLES = (Role.FIRM, Role.OWNERS_COMMITTEE)
# Who follows up the overdue items of maintenance plans.
OVERDUE_ROLES = (Role.BUREAU, Role.STREET)


class EntryKind(models.TextChoices):
    """What moved money on a sub-account; credits are positive, debits negative."""

    DEPOSIT = "deposit", _("Deposit")
    INTEREST = "interest", _("Interest")
    DISBURSEMENT = "disbursement", _("Disbursement")
    REFUND = "refund", _("Refund")
    REVERSAL = "reversal", _("Reversal")


CREDIT_KINDS = {EntryKind.DEPOSIT, EntryKind.INTEREST}
DEBIT_KINDS = {EntryKind.DISBURSEMENT, EntryKind.REFUND}


class Scope(models.TextChoices):
    """Which households share a repair's cost."""

    COMPOUND = "compound", _("Whole compound")
    BUILDING = "building", _("One building")
    UNIT = "unit", _("One unit of a building")


class EmergencyKind(models.TextChoices):
    """The emergencies that may use the fund without an owners' vote."""

    ELEVATOR = "elevator", _("Elevator stopped")
    FIRE = "fire", _("Fire facilities failing")
    EXTERIOR_WALL = "exterior_wall", _("Exterior wall at risk of falling")
    LEAK = "leak", _("Roof or wall leaking")
    PIPES = "pipes", _("Water or drain pipes burst")
    COLLAPSE = "collapse", _("Wall or road collapsing")


class EmergencyStatus(models.TextChoices):
    """Where an emergency application stands; each waiting step has a deadline."""

    FILED = "filed", _("Filed, awaiting community certification")
    CERTIFIED = "certified", _("Certified, awaiting street confirmation")
    CONFIRMED = "confirmed", _("Confirmed, awaiting bureau approval")
    APPROVED = "approved", _("Approved and disbursed")
    COMPLETED = "completed", _("Work completed")
    REJECTED = "rejected", _("Rejected")


EMERGENCY_WAITING = (EmergencyStatus.FILED, EmergencyStatus.CERTIFIED, EmergencyStatus.CONFIRMED)


class OrdinaryStatus(models.TextChoices):
    """Where an ordinary use application stands."""

    PUBLICISED = "publicised", _("Plan publicised to owners")
    VOTE_FAILED = "vote_failed", _("Owners' vote failed")
    VOTED = "voted", _("Owners' vote passed, awaiting bureau review")
    APPROVED = "approved", _("Approved by the bureau")
    RETURNED = "returned", _("Returned by the bureau")
    FIRST_PAID = "first_paid", _("First payment made")
    ACCEPTED = "accepted", _("Work accepted")
    CLOSED = "closed", _("Final payment made, result notice published")


class NoticeKind(models.TextChoices):
    """The fund notices owners can read."""

    ORDINARY_PLAN = "ordinary_plan", _("Ordinary use plan")
    ORDINARY_RESULT = "ordinary_result", _("Ordinary use result")
    EMERGENCY = "emergency", _("Emergency use")


class PlanStatus(models.TextChoices):
    """Where a yearly maintenance plan (物业维修养护计划) stands."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted, awaiting street review")
    STREET_PASSED = "street_passed", _("Passed by the street, awaiting bureau approval")
    APPROVED = "approved", _("Approved by the bureau")
    RETURNED = "returned", _("Returned for changes")


PLAN_EDITABLE = (PlanStatus.DRAFT, PlanStatus.RETURNED)


class FundingSource(models.TextChoices):
    """Who pays for a planned item of maintenance."""

    FUND = "fund", _("Maintenance fund")
    PROPERTY_FEES = "property_fees", _("Property fees")
    OTHER = "other", _("Other")


class ItemProgress(models.TextChoices):
    """How far the firm has got with a planned item."""

    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
