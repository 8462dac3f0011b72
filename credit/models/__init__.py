"""Credit rating: indicators, yearly rule sets, assessments, credit events, rating runs.

By topic: `common` (shared validators), `rules`, `assessments`, `ratings` and
`publication`. Callers import from `credit.models` itself: every name they use is
re-exported here.
"""

from .assessments import Assessment, AssessmentWindow, CreditEvent
from .certificates import CERTIFICATE_CODE_LENGTH, CertificateState, CreditCertificate
from .common import SCORE_VALIDATORS, YEAR_VALIDATORS
from .declarations import (
    DECLARATION_DEFAULT_POINTS,
    DECLARATION_MAX_POINTS,
    ConductKind,
    Declaration,
    DeclarationEvidence,
    DeclarationStatus,
)
from .progress import CommunityAssessed, CommunityToAssess, ProgressMark
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
from .rectification import (
    CommendationPolicy,
    KeySupervisionEntry,
    NoticeEvidence,
    NoticeRound,
    Summons,
    Verdict,
)
from .repair import CalendarDay, DayKind, RepairApplication, RepairEvidence, RepairStatus
from .rules import Indicator, RuleSet, RuleWeight

__all__ = [
    "CommendationPolicy",
    "KeySupervisionEntry",
    "NoticeEvidence",
    "NoticeRound",
    "Summons",
    "Verdict",
    "ATTACHMENT_EXTENSIONS",
    "CERTIFICATE_CODE_LENGTH",
    "OPEN_NOTICE_STATUSES",
    "SCORE_VALIDATORS",
    "YEAR_VALIDATORS",
    "Assessment",
    "CommunityAssessed",
    "CommunityToAssess",
    "ProgressMark",
    "CalendarDay",
    "ConductKind",
    "DECLARATION_DEFAULT_POINTS",
    "DECLARATION_MAX_POINTS",
    "Declaration",
    "DeclarationEvidence",
    "DeclarationStatus",
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
