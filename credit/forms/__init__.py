"""Forms of the credit pages, one module per topic: rule sets and runs, assessments (the
window, the grid, reminders, credit events) and publication. They validate; the views call
the services. This package re-exports every form the views use."""

from .assessments import (
    AssessmentGridForm,
    CreditEventFilterForm,
    CreditEventForm,
    GridFilterForm,
    ReminderForm,
    WindowOpenForm,
)
from .publication import (
    NoticeFilterForm,
    ObjectionAnswerForm,
    ObjectionForm,
    PublicationCreateForm,
    PublicationRunForm,
    PublishForm,
)
from .rule_sets import RatingRunStartForm, RuleSetCopyForm, RuleSetForm

__all__ = [
    "AssessmentGridForm",
    "CreditEventFilterForm",
    "CreditEventForm",
    "GridFilterForm",
    "NoticeFilterForm",
    "ObjectionAnswerForm",
    "ObjectionForm",
    "PublicationCreateForm",
    "PublicationRunForm",
    "PublishForm",
    "RatingRunStartForm",
    "ReminderForm",
    "RuleSetCopyForm",
    "RuleSetForm",
    "WindowOpenForm",
]
