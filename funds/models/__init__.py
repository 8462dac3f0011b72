"""The residential special maintenance fund: accounts, household ledgers, use applications.

By topic: `common` (money formats, defaults, the `ScopedWork` mixin), `accounts` (accounts,
households and the ledger), `emergency`, `ordinary`, `notices` and `plans`. Callers
import from `funds.models` itself: every name they use is re-exported here.
"""

from .accounts import Entry, FundAccount, Household, HouseholdQuerySet, Posting
from .common import (
    AREA,
    CENT,
    EVIDENCE_EXTENSIONS,
    MONEY,
    ScopedWork,
    default_first_payment_ratio,
    default_step_hours,
    evidence_max_bytes,
    mask_name,
    validate_evidence_size,
)
from .emergency import EmergencyApplication, EmergencyEvidence, EmergencyQuerySet
from .notices import FundNotice
from .ordinary import OrdinaryApplication, OwnersVote
from .plans import MaintenancePlan, MaintenancePlanItem, PlanItemQuerySet, item_overdue_q

__all__ = [
    "AREA",
    "CENT",
    "EVIDENCE_EXTENSIONS",
    "MONEY",
    "EmergencyApplication",
    "EmergencyEvidence",
    "EmergencyQuerySet",
    "Entry",
    "FundAccount",
    "FundNotice",
    "Household",
    "HouseholdQuerySet",
    "MaintenancePlan",
    "MaintenancePlanItem",
    "OrdinaryApplication",
    "OwnersVote",
    "PlanItemQuerySet",
    "Posting",
    "ScopedWork",
    "default_first_payment_ratio",
    "default_step_hours",
    "evidence_max_bytes",
    "item_overdue_q",
    "mask_name",
    "validate_evidence_size",
]
