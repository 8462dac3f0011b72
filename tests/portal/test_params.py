"""The query-string helpers: what the portal's own pages cannot produce counts as not given."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from portal import params
from portal.models import District
from tests.factories import DistrictFactory

rf = RequestFactory()


def _get(**query):
    return rf.get("/", query)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023", 2023),
        (" 2023 ", 2023),
        ("²", None),  # str.isdigit() says yes, int() says no
        ("٢٠٢٣", None),  # int() reads Arabic-Indic digits; the portal's pages never write them
        ("99999999999999999999", None),
        ("1999", None),
        ("2101", None),
        ("20.5", None),
        ("", None),
        (None, None),
        ("9" * 100_000, None),
    ],
)
def test_parse_int_reads_ascii_digits_within_the_bounds_only(text, expected):
    assert params.parse_int(text, minimum=2000, maximum=2100) == expected


def test_a_negative_number_is_read_when_the_bounds_allow_it():
    assert params.parse_int("-3", minimum=-10, maximum=10) == -3
    assert params.query_id(_get(street="-3"), "street") is None


def test_an_id_past_the_columns_range_is_not_given():
    assert params.query_id(_get(street="2147483647"), "street") == 2147483647
    assert params.query_id(_get(street="2147483648"), "street") is None
    assert params.query_id(_get(), "street") is None


def test_a_year_is_between_2000_and_2100():
    assert params.query_year(_get(year="2023")) == 2023
    assert params.query_year(_get(year="3000")) is None


def test_a_choice_is_one_of_the_codes_or_nothing():
    assert params.query_choice(_get(status="filed"), "status", ["filed", "approved"]) == "filed"
    assert params.query_choice(_get(status="²"), "status", ["filed"]) == ""
    assert params.query_choice(_get(), "status", ["filed"]) == ""


def test_a_text_longer_than_its_box_is_not_given():
    assert params.query_text(_get(q=" 东苑 "), "q", max_length=10) == "东苑"
    assert params.query_text(_get(q="长" * 11), "q", max_length=10) == ""


def test_a_flag_is_on_with_any_value():
    assert params.query_flag(_get(low="1"), "low")
    assert not params.query_flag(_get(low=""), "low")
    assert not params.query_flag(_get(), "low")


@pytest.mark.parametrize(
    ("page", "expected"),
    [("2", 2), ("²", 1), ("-1", 1), ("0", 1), ("99999999999999999999", 1), ("7", 3)],
)
def test_the_page_is_the_one_asked_for_else_the_first_or_the_last(page, expected):
    assert params.page_of(_get(page=page), list(range(25)), 10).number == expected


def test_a_paginator_counts_the_queryset_it_is_handed_in_place_of_its_rows(db):
    DistrictFactory.create_batch(3)
    shown = ["a table's rows, not counted"]
    paginator = params.CappedPaginator(shown, 10, queryset=District.objects.all())
    assert paginator.count == 3 and not paginator.capped


def test_a_list_may_count_to_a_cap_of_its_own():
    page = params.page_of(_get(), list(range(25)), 10, cap=20)
    assert page.paginator.capped and page.paginator.count == 20 and page.paginator.num_pages == 2
