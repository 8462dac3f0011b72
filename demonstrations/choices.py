"""The states of an application, the service standards a firm ticks, the deadlines of each
step (in working days) and the bonus an approval may carry."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for the community")
    COMMUNITY_OK = "community_ok", _("Waiting for the street")
    STREET_OK = "street_ok", _("Waiting for the bureau")
    RETURNED = "returned", _("Not recommended")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class Step(models.TextChoices):
    COMMUNITY = "community", _("community")
    STREET = "street", _("street")
    BUREAU = "bureau", _("bureau")


# The step each waiting state waits for.
STEP_OF_STATE = {
    State.SUBMITTED: Step.COMMUNITY,
    State.COMMUNITY_OK: Step.STREET,
    State.STREET_OK: Step.BUREAU,
}
OPEN_STATES = tuple(STEP_OF_STATE)

# The working days each step has (credit.workdays.working_days_after).
STEP_WORKING_DAYS = {Step.COMMUNITY: 5, Step.STREET: 5, Step.BUREAU: 10}

# The service standards (服务标准) a demonstration project meets: every one must be ticked.
STANDARDS = [
    ("staffing", _("Staff on duty and a service desk open every day")),
    ("cleaning", _("Cleaning and greening to the contract's standard")),
    ("security", _("Security patrols and fire safety checks recorded")),
    ("repairs", _("Repairs answered within the promised time")),
    ("disclosure", _("Fees and accounts disclosed to the owners")),
]
STANDARD_KEYS = [key for key, _label in STANDARDS]

# The bonus credit event an approval may record for the firm (the rule set's 红心物业 bonus,
# as the firm's own declarations propose it).
BONUS_POINTS = Decimal("3")

SUBMITTED_REASON = "demonstration applied"
RESUBMITTED_REASON = "demonstration resubmitted"
COMMUNITY_REASON = "demonstration community"
STREET_REASON = "demonstration street"
DECIDED_REASON = "demonstration decided"
RED_HEART_REASON = "red-heart demonstration approved"
PUBLISHED_REASON = "demonstration list published"
