"""How the portal shows money, areas, dates and history, the same on SQLite and PostgreSQL.

`{{ amount|yuan }}` → ¥1,234,567.80; `{{ area|area }}` → 1,234.50 m²; `{{ when|portal_date }}`
and `{{ when|portal_datetime }}` in the portal's time zone; `{% history_reason entry %}` the
label of a recorded change (portal/history.py). Exports write exact values, not these.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal import history

register = template.Library()

CENT = Decimal("0.01")


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return None


def grouped(value: Decimal) -> str:
    """1234567.8 → 1,234,567.80 (two decimals, thousands separated, as a Chinese form writes)."""
    return f"{value:,.2f}"


@register.filter
def yuan(value) -> str:
    """Money in yuan: ¥ with two decimals and thousands separators; "—" when there is none."""
    amount = _decimal(value)
    if amount is None:
        return "—"
    sign = "-" if amount < 0 else ""
    return f"{sign}¥{grouped(abs(amount))}"


@register.filter
def area(value) -> str:
    """A floor area: two decimals, thousands separators, m²."""
    amount = _decimal(value)
    return "—" if amount is None else f"{grouped(amount)} m²"


@register.filter
def decimal2(value) -> str:
    """A decimal with exactly two places and thousands separators (scores, shares)."""
    amount = _decimal(value)
    return "—" if amount is None else grouped(amount)


@register.filter
def portal_date(value) -> str:
    """A date, or the local date of a moment, as YYYY-MM-DD."""
    if not value:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return value.strftime("%Y-%m-%d")


@register.filter
def portal_datetime(value) -> str:
    """A moment in the portal's time zone, as YYYY-MM-DD HH:MM."""
    if not value:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return date_format(value, "Y-m-d H:i")


@register.simple_tag
def history_reason(entry) -> str:
    """The label of what a history entry recorded (its reason, else its kind)."""
    return history.entry_label(entry)


@register.simple_tag
def history_status(entry, field: str) -> str:
    """The label of a field's value as a history entry recorded it (a status, a step)."""
    return str(getattr(entry, f"get_{field}_display")())


@register.filter
def rows_counted(paginator) -> str:
    """How many rows a list holds: "1,234", or "more than 10,000" past a CappedPaginator's cap."""
    if getattr(paginator, "capped", False):
        return _("more than %(n)s") % {"n": intcomma(paginator.cap)}
    return intcomma(paginator.count)
