"""Floor areas read as a clerk writes them (580,281.60 m²), the same on SQLite, whose sums
carry nine decimals, as on PostgreSQL; the spreadsheet keeps the exact value."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from tests.factories import CompoundFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_halves(community_a, firm_a):
    """Two compounds of firm A whose areas sum to 580,281.60 m²."""
    return [
        CompoundFactory(community=community_a, firm=firm_a, floor_area=Decimal("290140.80")),
        CompoundFactory(community=community_a, firm=firm_a, floor_area=Decimal("290140.80")),
    ]


def test_the_firm_list_shows_the_summed_area_with_two_decimals(client_of, bureau_user, two_halves):
    page = client_of(bureau_user).get(reverse("companies:firm_list")).content.decode()
    assert "580,281.60 m²" in page
    assert "580281.6000" not in page


def test_the_firm_page_shows_areas_with_two_decimals(client_of, bureau_user, two_halves, firm_a):
    page = client_of(bureau_user).get(reverse("companies:firm_detail", args=[firm_a.pk]))
    html = page.content.decode()
    assert "580,281.60 m²" in html and "290,140.80 m²" in html
    assert "580281.6000" not in html


def test_the_compound_page_and_list_show_the_area_with_two_decimals(
    client_of, bureau_user, two_halves
):
    client = client_of(bureau_user)
    detail = client.get(reverse("companies:compound_detail", args=[two_halves[0].pk]))
    assert "290,140.80 m²" in detail.content.decode()
    listing = client.get(reverse("companies:compound_list")).content.decode()
    assert "290,140.80 m²" in listing


def test_the_firm_export_keeps_the_exact_area_as_a_number(client_of, bureau_user, two_halves):
    response = client_of(bureau_user).get(reverse("companies:firm_list"), {"_export": "xlsx"})
    rows = list(openpyxl.load_workbook(io.BytesIO(response.getvalue())).active.values)
    area = rows[1][rows[0].index("建筑面积（平方米）")]
    assert isinstance(area, int | float) and Decimal(str(area)) == Decimal("580281.6")


def test_the_compound_export_keeps_the_exact_area_as_a_number(client_of, bureau_user, two_halves):
    response = client_of(bureau_user).get(reverse("companies:compound_list"), {"_export": "xlsx"})
    rows = list(openpyxl.load_workbook(io.BytesIO(response.getvalue())).active.values)
    column = rows[0].index("建筑面积（平方米）")
    assert [Decimal(str(row[column])) for row in rows[1:]] == [Decimal("290140.8")] * 2


def test_the_firm_page_refuses_a_firm_outside_the_users_area(
    client_of, other_street_officer, two_halves, firm_a
):
    response = client_of(other_street_officer).get(
        reverse("companies:firm_detail", args=[firm_a.pk])
    )
    assert response.status_code == 404
