"""Credit rating: indicators, yearly rule sets, assessments, credit events, rating runs.

By topic: `common` (shared validators), `rules`, `assessments`, `ratings` and
`publication`. Callers import from `credit.models` itself: every name they use is
re-exported here.
"""

from .assessments import Assessment, AssessmentWindow, CreditEvent
from .certificates import CERTIFICATE_CODE_LENGTH, CertificateState, CreditCertificate
from .common import SCORE_VALIDATORS, YEAR_VALIDATORS
from .publication import (
    ATTACHMENT_EXTENSIONS,
    OPEN_NOTICE_STATUSES,
    CreditNotice,
    NoticeKind,
    NoticeStatus,
    Objection,
    ObjectionAttachment,
    ObjectionStatus,
    Publication,
    PublicationStatus,
    PublicationVersion,
)
from .ratings import Rating, RatingBreakdown, RatingRun
from .repair import CalendarDay, DayKind, RepairApplication, RepairEvidence, RepairStatus
from .rules import Indicator, RuleSet, RuleWeight

__all__ = [
    "ATTACHMENT_EXTENSIONS",
    "CERTIFICATE_CODE_LENGTH",
    "OPEN_NOTICE_STATUSES",
    "SCORE_VALIDATORS",
    "YEAR_VALIDATORS",
    "Assessment",
    "CalendarDay",
    "DayKind",
    "RepairApplication",
    "RepairEvidence",
    "RepairStatus",
    "AssessmentWindow",
    "CertificateState",
    "CreditEvent",
    "CreditCertificate",
    "CreditNotice",
    "Indicator",
    "NoticeKind",
    "NoticeStatus",
    "Objection",
    "ObjectionAttachment",
    "ObjectionStatus",
    "Publication",
    "PublicationStatus",
    "PublicationVersion",
    "Rating",
    "RatingBreakdown",
    "RatingRun",
    "RuleSet",
    "RuleWeight",
]
