"""Money, areas and dates as a Chinese clerk reads them, the same on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms
from django.utils import translation

from portal.templatetags.portal_tags import area, decimal2, portal_date, portal_datetime, yuan


def test_money_is_yuan_with_two_decimals_and_thousands_separators():
    # SQLite hands a sum back as 580281.600000000; PostgreSQL as 580281.60: both read alike.
    assert yuan(Decimal("580281.600000000")) == "¥580,281.60"
    assert yuan(Decimal("580281.60")) == "¥580,281.60"
    assert yuan(Decimal("0")) == "¥0.00"
    assert yuan(Decimal("-1234.5")) == "-¥1,234.50"
    assert yuan(Decimal("0.005")) == "¥0.01"  # half up, as the ledger rounds


def test_a_missing_amount_is_a_dash_not_an_error():
    assert yuan(None) == "—"
    assert yuan("") == "—"
    assert yuan("not a number") == "—"


def test_areas_are_square_metres_with_two_decimals():
    assert area(Decimal("12345.6")) == "12,345.60 m²"
    assert area(None) == "—"


def test_scores_have_exactly_two_decimals():
    assert decimal2(Decimal("81.1875")) == "81.19"
    assert decimal2(Decimal("90")) == "90.00"


def test_moments_are_shown_in_beijing_time():
    utc = dt.datetime(2026, 11, 28, 17, 30, tzinfo=dt.UTC)  # 01:30 the next day in Beijing
    assert portal_datetime(utc) == "2026-11-29 01:30"
    assert portal_date(utc) == "2026-11-29"
    assert portal_date(dt.date(2026, 3, 1)) == "2026-03-01"


def test_date_inputs_get_iso_values_in_chinese_too():
    # A browser's <input type="date"> reads nothing but YYYY-MM-DD.
    field = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    with translation.override("zh-hans"):
        html = field.widget.render("day", dt.date(2026, 11, 29))
        assert 'value="2026-11-29"' in html
        assert field.clean("2026-11-29") == dt.date(2026, 11, 29)
        assert field.clean("2026/11/29") == dt.date(2026, 11, 29)  # still read when typed
