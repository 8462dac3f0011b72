"""Working days (工作日) on the bureau's calendar: Monday to Friday, less the statutory holidays,
plus the weekend days made working days (调休). The calendar is data (`CalendarDay`), kept by
the bureau; a date it does not name is a working day when it falls Monday to Friday."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import CalendarDay, DayKind

ONE_DAY = dt.timedelta(days=1)
SATURDAY = 5
# Days read from the calendar at once: the longest holiday (春节, about nine days) with its
# weekends fits many times over, so a count of a few working days reads it once.
SPAN = dt.timedelta(days=60)


def calendar_between(first: dt.date, last: dt.date) -> dict[dt.date, str]:
    """The calendar's days from `first` to `last` (both included): date -> DayKind."""
    return dict(CalendarDay.objects.filter(date__range=(first, last)).values_list("date", "kind"))


def is_working_day(day: dt.date, calendar: dict[dt.date, str]) -> bool:
    """A made-up working day works, a holiday does not, otherwise Monday to Friday work."""
    kind = calendar.get(day)
    if kind == DayKind.WORKDAY:
        return True
    if kind == DayKind.HOLIDAY:
        return False
    return day.weekday() < SATURDAY


def working_days_after(start: dt.date, n: int) -> dt.date:
    """The n-th working day after `start` (`start` itself not counted): an application made on
    `start` and decided within n working days is decided by this date. n=0 gives `start`."""
    if n < 0:
        raise ValueError("n must not be negative")
    day, left = start, n
    calendar: dict[dt.date, str] = {}
    read_until = start
    while left:
        day += ONE_DAY
        if day > read_until:
            read_until = day + SPAN
            calendar = calendar_between(day, read_until)
        if is_working_day(day, calendar):
            left -= 1
    return day


def working_days_between(first: dt.date, last: dt.date) -> int:
    """The working days after `first` up to `last` (included); 0 when `last` is not later.
    `working_days_between(d, working_days_after(d, n)) == n`."""
    if last <= first:
        return 0
    calendar = calendar_between(first + ONE_DAY, last)
    days = (last - first).days
    return sum(is_working_day(first + ONE_DAY * i, calendar) for i in range(1, days + 1))


def late_decision_reason(*, decide_by: dt.date, today: dt.date, delay_reason: str) -> str:
    """A decision taken after its date (`decide_by`, counted in working days) states why it
    is late: the reason, stripped; refused without one. On time, no reason is asked."""
    delay_reason = (delay_reason or "").strip()
    if today > decide_by and not delay_reason:
        message = _(
            "The decision is due by %(date)s and is late: give the reason for the delay."
        ) % {"date": decide_by.isoformat()}
        raise ValidationError({"delay_reason": ValidationError(message, code="late")})
    return delay_reason if today > decide_by else ""
