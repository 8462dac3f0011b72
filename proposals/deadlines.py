"""Deadline arithmetic: pure functions of dates, no database.

The periods come from settings (rules as data) with the usual defaults: a reply
within 3 months of receipt, extendable once up to 6 months in total, co-handlers'
input within 1 month of assignment, a misassigned proposal returned within 5 days,
a second answer within 1 month of an unsatisfied feedback.
"""

from __future__ import annotations

import calendar
import datetime as dt

from django.conf import settings


def _setting(name: str) -> int:
    return int(getattr(settings, name))


def reply_months() -> int:
    return _setting("PROPOSALS_REPLY_MONTHS")


def max_reply_months() -> int:
    return _setting("PROPOSALS_MAX_REPLY_MONTHS")


def co_input_months() -> int:
    return _setting("PROPOSALS_CO_INPUT_MONTHS")


def return_days() -> int:
    return _setting("PROPOSALS_RETURN_DAYS")


def rehandle_months() -> int:
    return _setting("PROPOSALS_REHANDLE_MONTHS")


def near_due_days() -> int:
    return _setting("PROPOSALS_NEAR_DUE_DAYS")


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later; the month's last day when it is shorter (31 Jan + 1 = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def reply_due(received_on: dt.date) -> dt.date:
    return add_months(received_on, reply_months())


def latest_extension(received_on: dt.date) -> dt.date:
    """The furthest an extension may push the reply deadline."""
    return add_months(received_on, max_reply_months())


def co_input_due(assigned_on: dt.date) -> dt.date:
    return add_months(assigned_on, co_input_months())


def return_deadline(assigned_on: dt.date) -> dt.date:
    """The last calendar day on which the lead division may hand a misassigned proposal back."""
    return assigned_on + dt.timedelta(days=return_days())


def rehandle_due(feedback_on: dt.date) -> dt.date:
    return add_months(feedback_on, rehandle_months())


def days_left(due: dt.date, today: dt.date) -> int:
    """Days until `due` (0 on the day itself, negative once overdue)."""
    return (due - today).days


def is_overdue(due: dt.date | None, today: dt.date) -> bool:
    return due is not None and today > due


def is_near_due(due: dt.date | None, today: dt.date, within: int | None = None) -> bool:
    """Due within the next `within` days (default from settings) and not yet overdue."""
    if due is None:
        return False
    window = near_due_days() if within is None else within
    return 0 <= days_left(due, today) <= window
