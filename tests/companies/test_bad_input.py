"""Names a spreadsheet would run are refused at entry (page and import); the registry lists
answer any query string without a 500."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from companies.imports import CompoundImporter, FirmImporter
from companies.models import Compound, Firm
from portal.imports import run_import

from ..factories import make_credit_code

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://x.example","click")'
DDE = "=cmd|' /C calc'!A0"
REFUSED = "名称不能以"  # the start of the message a clerk reads


def _csv(tmp_path, rows):
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    path = tmp_path / "data.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


@pytest.mark.parametrize("name", [HYPERLINK, DDE, "+86物业", "-物业", "@物业"])
def test_the_firm_form_refuses_a_name_that_begins_like_a_formula(client_of, bureau_user, name):
    response = client_of(bureau_user).post(
        reverse("companies:firm_create"),
        {"credit_code": make_credit_code(910001), "name": name},
    )
    assert response.status_code == 200
    assert REFUSED in str(response.context["form"].errors["name"])
    assert not Firm.objects.exists()


def test_the_firm_form_refuses_a_legal_representative_that_begins_like_a_formula(
    client_of, bureau_user
):
    response = client_of(bureau_user).post(
        reverse("companies:firm_create"),
        {"credit_code": make_credit_code(910001), "name": "东方物业", "legal_representative": DDE},
    )
    assert "legal_representative" in response.context["form"].errors
    assert not Firm.objects.exists()


def test_the_compound_form_refuses_a_name_that_begins_like_a_formula(
    client_of, bureau_user, community_a
):
    response = client_of(bureau_user).post(
        reverse("companies:compound_create"),
        {
            "code": "XQ9",
            "name": HYPERLINK,
            "community": community_a.pk,
            "households": 10,
            "floor_area": "100",
        },
    )
    assert REFUSED in str(response.context["form"].errors["name"])
    assert not Compound.objects.exists()


def test_the_firm_import_refuses_a_formula_name_and_writes_nothing(tmp_path, bureau_user):
    rows = [
        ["credit_code", "name"],
        [make_credit_code(910001), "东方物业服务有限公司"],
        [make_credit_code(910002), DDE],
    ]
    result = run_import(FirmImporter(user=bureau_user), _csv(tmp_path, rows))
    assert not result.applied
    assert {(error.row, error.column) for error in result.errors} == {(3, "name")}
    assert not Firm.objects.exists()


@pytest.mark.parametrize("column", ["name", "district", "street", "community"])
def test_the_compound_import_refuses_a_formula_name_and_writes_nothing(tmp_path, column):
    row = {
        "code": "XQ001",
        "name": "东苑小区",
        "district": "昌邑区",
        "street": "延安街道",
        "community": "东山社区",
        "households": "320",
        "floor_area": "25800.50",
    }
    row[column] = HYPERLINK
    result = run_import(CompoundImporter(), _csv(tmp_path, [list(row), list(row.values())]))
    assert not result.applied
    assert {(error.row, error.column) for error in result.errors} == {(2, column)}
    assert not Compound.objects.exists()


@pytest.mark.parametrize(
    "query",
    [
        {"per_page": "0"},
        {"per_page": "-1"},
        {"per_page": "²"},
        {"page": "99999999999999999999"},
        {"street": "99999999999999999999"},
        {"community": "²"},
        {"sort": "²"},
        {"_export": "²"},
    ],
)
@pytest.mark.parametrize("name", ["companies:firm_list", "companies:compound_list"])
def test_the_registry_lists_answer_any_query_without_a_500(
    client_of, bureau_user, compound_a, name, query
):
    response = client_of(bureau_user).get(reverse(name), query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
