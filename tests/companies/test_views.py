"""Registry pages: lists (search, filters, sorting, export, query counts), details, and the
bureau's create/edit/change-firm forms."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from companies import services
from companies.forms import ChangeFirmForm
from companies.models import Compound, Firm, Management
from portal.web import add_service_errors
from tests.factories import CommunityFactory, StreetFactory, make_credit_code

NON_BUREAU = [
    "association_user",
    "street_officer",
    "community_officer",
    "firm_user",
    "committee_user",
]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _rows(response) -> list:
    return [row.record for row in response.context["table"].page.object_list]


# --- lists ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["companies:firm_list", "companies:compound_list"])
def test_lists_open_for_a_signed_in_user(client_of, street_officer, compound_a, name):
    response = client_of(street_officer).get(reverse(name))
    assert response.status_code == 200
    assert response.context["total"] == 1


@pytest.mark.parametrize("name", ["companies:firm_list", "companies:compound_list"])
def test_lists_send_the_anonymous_to_sign_in(db, client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_firm_search_finds_a_firm_by_a_compound_it_serves(
    client_of, bureau_user, compound_a, compound_b, firm_a
):
    response = client_of(bureau_user).get(reverse("companies:firm_list"), {"q": "东苑"})
    assert _rows(response) == [firm_a]


def test_firm_search_finds_a_firm_by_credit_code(client_of, bureau_user, firm_a, firm_b):
    response = client_of(bureau_user).get(
        reverse("companies:firm_list"), {"q": firm_b.credit_code[-8:]}
    )
    assert _rows(response) == [firm_b]


def test_compound_search_matches_code_name_and_firm_name(
    client_of, bureau_user, compound_a, compound_b
):
    client = client_of(bureau_user)
    url = reverse("companies:compound_list")
    assert _rows(client.get(url, {"q": compound_b.code})) == [compound_b]
    assert _rows(client.get(url, {"q": "东苑"})) == [compound_a]
    assert _rows(client.get(url, {"q": "西山物业"})) == [compound_b]


def test_compound_filters_by_flags_and_missing_firm(client_of, bureau_user, compound_a, compound_b):
    Compound.objects.filter(pk=compound_a.pk).update(
        has_owners_committee=True, has_party_org=True, red_heart_year=2023
    )
    Compound.objects.filter(pk=compound_b.pk).update(firm=None)
    client = client_of(bureau_user)
    url = reverse("companies:compound_list")
    assert _rows(client.get(url, {"owners_committee": "yes"})) == [compound_a]
    assert _rows(client.get(url, {"owners_committee": "no"})) == [compound_b]
    assert _rows(client.get(url, {"party_org": "yes"})) == [compound_a]
    assert _rows(client.get(url, {"red_heart": "yes"})) == [compound_a]
    assert _rows(client.get(url, {"red_heart": "no"})) == [compound_b]
    assert _rows(client.get(url, {"no_firm": "yes"})) == [compound_b]
    assert _rows(client.get(url, {"no_firm": "no"})) == [compound_a]


def test_compound_filters_by_area_and_firm(
    client_of, bureau_user, compound_a, compound_b, street_b, community_a, firm_b
):
    client = client_of(bureau_user)
    url = reverse("companies:compound_list")
    assert _rows(client.get(url, {"street": street_b.pk})) == [compound_b]
    assert _rows(client.get(url, {"community": community_a.pk})) == [compound_a]
    assert _rows(client.get(url, {"district": street_b.district_id})) == [compound_b]
    assert _rows(client.get(url, {"firm": firm_b.pk})) == [compound_b]


def test_firm_list_filters_by_the_street_of_the_compounds_served(
    client_of, bureau_user, compound_a, compound_b, street_a, firm_a
):
    response = client_of(bureau_user).get(reverse("companies:firm_list"), {"street": street_a.pk})
    assert _rows(response) == [firm_a]


def test_compound_list_sorts_by_a_column(client_of, bureau_user, compound_a, compound_b):
    Compound.objects.filter(pk=compound_a.pk).update(households=5)
    url = reverse("companies:compound_list")
    client = client_of(bureau_user)
    assert _rows(client.get(url, {"sort": "households"})) == [compound_a, compound_b]
    assert _rows(client.get(url, {"sort": "-households"})) == [compound_b, compound_a]


def test_firm_list_sorts_by_the_compound_count(client_of, bureau_user, compound_a, firm_a, firm_b):
    response = client_of(bureau_user).get(
        reverse("companies:firm_list"), {"sort": "compound_count"}
    )
    assert _rows(response) == [firm_b, firm_a]


def test_an_empty_result_shows_the_empty_state(client_of, bureau_user, compound_a):
    response = client_of(bureau_user).get(reverse("companies:compound_list"), {"q": "没有这个"})
    assert response.status_code == 200
    assert response.context["total"] == 0
    assert b"bi-inbox" in response.content


def _bulk_registry(n: int) -> None:
    """n firms, each serving one compound, spread over two streets (fast: bulk_create)."""
    communities = [CommunityFactory(street=StreetFactory()) for _ in range(4)]
    firms = Firm.objects.bulk_create(
        Firm(credit_code=make_credit_code(500_000 + i), name=f"批量物业{i:04d}") for i in range(n)
    )
    Compound.objects.bulk_create(
        Compound(
            code=f"B{i:05d}",
            name=f"批量小区{i:04d}",
            community=communities[i % 4],
            households=100 + i,
            floor_area=Decimal("1000.50"),
            firm=firms[i],
            has_owners_committee=bool(i % 2),
        )
        for i in range(n)
    )


@pytest.mark.parametrize("name", ["companies:firm_list", "companies:compound_list"])
@pytest.mark.parametrize("role", ["bureau_user", "street_officer"])
def test_list_queries_stay_bounded_with_a_thousand_rows(
    db, request, client_of, django_assert_max_num_queries, name, role
):
    _bulk_registry(1000)
    user = request.getfixturevalue(role)
    if role == "street_officer":  # move most compounds into the officer's street
        Compound.objects.update(community=CommunityFactory(street=user.street))
    client = client_of(user)
    with django_assert_max_num_queries(12):
        response = client.get(
            reverse(name), {"sort": "-households" if "compound" in name else "name"}
        )
    assert response.status_code == 200
    assert response.context["total"] == 1000
    assert len(_rows(response)) == 50


def test_excel_export_of_a_thousand_rows_is_one_workbook_with_bounded_queries(
    client_of, bureau_user, django_assert_max_num_queries
):
    _bulk_registry(1000)
    client = client_of(bureau_user)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("companies:compound_list"), {"_export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert ".xlsx" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).active
    assert sheet.max_row == 1001  # header + every row, not one page


def test_excel_export_holds_the_filtered_list_only(client_of, bureau_user, compound_a, compound_b):
    response = client_of(bureau_user).get(
        reverse("companies:compound_list"), {"q": compound_b.code, "_export": "xlsx"}
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][0] == compound_b.code
    assert compound_a.code not in {cell for row in rows for cell in row}


def test_firm_export_is_a_workbook_of_the_users_scope(
    client_of, street_officer, compound_a, compound_b, firm_a
):
    response = client_of(street_officer).get(reverse("companies:firm_list"), {"_export": "xlsx"})
    assert response["Content-Type"] == XLSX
    rows = list(openpyxl.load_workbook(io.BytesIO(response.getvalue())).active.values)
    assert [row[0] for row in rows[1:]] == [firm_a.name]


def test_export_refuses_the_anonymous(db, client):
    response = client.get(reverse("companies:compound_list"), {"_export": "xlsx"})
    assert response.status_code == 302


# --- details ----------------------------------------------------------------------------------


def test_firm_detail_shows_compounds_former_compounds_and_change_history(
    client_of, bureau_user, compound_a, compound_b, firm_a, firm_b
):
    services.firm_update(user=bureau_user, firm=firm_a, legal_representative="王五")
    services.compound_change_firm(
        user=bureau_user, compound=compound_b, firm=firm_a, since=dt.date(2024, 1, 1)
    )
    response = client_of(bureau_user).get(reverse("companies:firm_detail", args=[firm_b.pk]))
    assert response.status_code == 200
    assert [m.compound for m in response.context["firm"].former_managements] == [compound_b]

    response = client_of(bureau_user).get(reverse("companies:firm_detail", args=[firm_a.pk]))
    firm = response.context["firm"]
    assert {c.pk for c in firm.current_compounds} == {compound_a.pk, compound_b.pk}
    assert firm.compound_count == 2
    latest = response.context["history"][0]
    assert latest.user == bureau_user
    assert (verbose_name(Firm, "legal_representative"), "—", "王五") in latest.changes


def test_firm_detail_refuses_an_unknown_firm(client_of, bureau_user):
    response = client_of(bureau_user).get(reverse("companies:firm_detail", args=[999_999]))
    assert response.status_code == 404


def test_compound_detail_shows_the_management_timeline_and_history(
    client_of, bureau_user, compound_a, firm_b
):
    services.compound_change_firm(
        user=bureau_user, compound=compound_a, firm=firm_b, since=dt.date(2024, 1, 1)
    )
    response = client_of(bureau_user).get(
        reverse("companies:compound_detail", args=[compound_a.pk])
    )
    assert response.status_code == 200
    periods = response.context["compound"].periods
    assert [p.firm for p in periods] == [firm_b, compound_a.managements.last().firm]
    assert response.context["current"].firm == firm_b
    change = response.context["history"][0]
    assert change.user == bureau_user
    assert (
        verbose_name(Compound, "firm"),
        "东方物业服务有限公司",
        "西山物业服务有限公司",
    ) in change.changes


def test_compound_detail_queries_do_not_grow_with_its_history(
    client_of, bureau_user, compound_a, firm_a, firm_b, django_assert_max_num_queries
):
    for year in range(2021, 2031):
        services.compound_change_firm(
            user=bureau_user,
            compound=compound_a,
            firm=firm_b if year % 2 else firm_a,
            since=dt.date(year, 1, 1),
        )
    client = client_of(bureau_user)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("companies:compound_detail", args=[compound_a.pk]))
    assert len(response.context["compound"].periods) == 11


# --- the bureau's forms: success ---------------------------------------------------------------


def test_bureau_registers_a_firm(client_of, bureau_user):
    code = make_credit_code(4242)
    response = client_of(bureau_user).post(
        reverse("companies:firm_create"),
        {"credit_code": code.lower(), "name": "新华物业", "legal_representative": "李四"},
    )
    firm = Firm.objects.get(credit_code=code)
    assert response.status_code == 302
    assert response.url == reverse("companies:firm_detail", args=[firm.pk])
    assert firm.history.latest().history_user == bureau_user


def test_bureau_edits_a_firm(client_of, bureau_user, firm_a):
    response = client_of(bureau_user).post(
        reverse("companies:firm_edit", args=[firm_a.pk]),
        {"credit_code": firm_a.credit_code, "name": "东方物业（新）", "address": "东路1号"},
    )
    assert response.status_code == 302
    firm_a.refresh_from_db()
    assert (firm_a.name, firm_a.address) == ("东方物业（新）", "东路1号")


def test_bureau_registers_a_compound_with_its_firm(client_of, bureau_user, community_a, firm_a):
    response = client_of(bureau_user).post(
        reverse("companies:compound_create"),
        {
            "code": "N001",
            "name": "新苑",
            "community": community_a.pk,
            "households": "120",
            "floor_area": "9800.25",
            "has_party_org": "on",
            "firm": firm_a.pk,
            "since": "2025-02-01",
        },
    )
    assert response.status_code == 302
    compound = Compound.objects.get(code="N001")
    assert compound.firm == firm_a and compound.has_party_org
    assert compound.managements.get().start_date == dt.date(2025, 2, 1)


def test_bureau_edits_a_compound_but_not_its_firm(client_of, bureau_user, compound_a, firm_b):
    response = client_of(bureau_user).post(
        reverse("companies:compound_edit", args=[compound_a.pk]),
        {
            "code": compound_a.code,
            "name": "东苑（改）",
            "community": compound_a.community_id,
            "households": "150",
            "floor_area": "12000.00",
            "has_owners_committee": "on",
            "firm": firm_b.pk,  # ignored: not a field of the edit form
        },
    )
    assert response.status_code == 302
    compound_a.refresh_from_db()
    assert (compound_a.name, compound_a.households, compound_a.has_owners_committee) == (
        "东苑（改）",
        150,
        True,
    )
    assert compound_a.firm.name == "东方物业服务有限公司"


def test_change_firm_previews_then_applies_on_confirmation(
    client_of, bureau_user, compound_a, firm_a, firm_b
):
    client = client_of(bureau_user)
    url = reverse("companies:compound_change_firm", args=[compound_a.pk])
    data = {"firm": firm_b.pk, "since": "2024-06-01", "note": "重新招标"}

    preview = client.post(url, data)
    assert preview.status_code == 200 and preview.context["preview"]
    assert b"change-preview" in preview.content
    compound_a.refresh_from_db()
    assert compound_a.firm == firm_a  # nothing written yet

    response = client.post(url, {**data, "confirm": "1"})
    assert response.status_code == 302
    compound_a.refresh_from_db()
    assert compound_a.firm == firm_b
    assert Management.objects.get(compound=compound_a, firm=firm_a).end_date == dt.date(2024, 6, 1)


def test_change_firm_to_none_is_possible(client_of, bureau_user, compound_a):
    response = client_of(bureau_user).post(
        reverse("companies:compound_change_firm", args=[compound_a.pk]),
        {"firm": "", "since": "2024-06-01", "confirm": "1"},
    )
    assert response.status_code == 302
    compound_a.refresh_from_db()
    assert compound_a.firm is None


def test_change_firm_page_opens_for_the_bureau(client_of, bureau_user, compound_a):
    url = reverse("companies:compound_change_firm", args=[compound_a.pk])
    assert client_of(bureau_user).get(url).status_code == 200


# --- the bureau's forms: validation -----------------------------------------------------------


def test_a_wrong_check_character_is_shown_on_the_form(client_of, bureau_user):
    code = make_credit_code(4243)
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    response = client_of(bureau_user).post(
        reverse("companies:firm_create"), {"credit_code": wrong, "name": "错码物业"}
    )
    assert response.status_code == 200
    assert response.context["form"].has_error("credit_code", "check")
    assert not Firm.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("households", "0", "min_value"),
        ("floor_area", "0", "min_value"),
        ("floor_area", "100.123", "max_decimal_places"),
    ],
)
def test_compound_figures_are_checked(client_of, bureau_user, community_a, field, value, code):
    data = {
        "code": "N002",
        "name": "坏数据苑",
        "community": community_a.pk,
        "households": "10",
        "floor_area": "100.00",
    }
    data[field] = value
    response = client_of(bureau_user).post(reverse("companies:compound_create"), data)
    assert response.status_code == 200
    assert response.context["form"].has_error(field, code)
    assert not Compound.objects.filter(code="N002").exists()


def test_change_firm_before_the_current_start_is_shown_on_the_form(
    client_of, bureau_user, compound_a, firm_b
):
    response = client_of(bureau_user).post(
        reverse("companies:compound_change_firm", args=[compound_a.pk]),
        {"firm": firm_b.pk, "since": "2019-01-01", "confirm": "1"},
    )
    assert response.status_code == 200
    assert "since" in response.context["form"].errors
    compound_a.refresh_from_db()
    assert compound_a.firm != firm_b


def test_the_services_refusal_lands_on_the_form_field(compound_a):
    form = ChangeFirmForm(
        {"since": "2024-01-01"}, compound=compound_a, current=compound_a.managements.get()
    )
    form.is_valid()
    add_service_errors(form, ValidationError({"since": "too early", "other": "elsewhere"}))
    assert form.errors["since"] == ["too early"]
    assert form.non_field_errors() == ["elsewhere"]


def test_change_firm_to_the_same_firm_is_refused(client_of, bureau_user, compound_a, firm_a):
    response = client_of(bureau_user).post(
        reverse("companies:compound_change_firm", args=[compound_a.pk]),
        {"firm": firm_a.pk, "since": "2024-06-01"},
    )
    assert response.status_code == 200
    assert "firm" in response.context["form"].errors


# --- the bureau's forms: refusals -------------------------------------------------------------


def _write_urls(compound, firm) -> list[str]:
    return [
        reverse("companies:firm_create"),
        reverse("companies:firm_edit", args=[firm.pk]),
        reverse("companies:compound_create"),
        reverse("companies:compound_edit", args=[compound.pk]),
        reverse("companies:compound_change_firm", args=[compound.pk]),
    ]


@pytest.mark.parametrize("role", NON_BUREAU)
def test_non_bureau_users_get_403_on_every_registry_write(
    request, client_of, role, compound_a, firm_a
):
    client = client_of(request.getfixturevalue(role))
    for url in _write_urls(compound_a, firm_a):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"name": "x", "since": "2024-01-01"}).status_code == 403, url
    compound_a.refresh_from_db()
    assert compound_a.firm == firm_a


def test_anonymous_is_sent_to_sign_in_on_every_registry_write(client, compound_a, firm_a):
    for url in _write_urls(compound_a, firm_a):
        response = client.post(url, {"name": "x"})
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login"))


def verbose_name(model, field: str) -> str:
    """A field's label as the page shows it (in the active language)."""
    return str(model._meta.get_field(field).verbose_name)
