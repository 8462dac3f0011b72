"""The 12345 hotline import: GB18030 CSV and xlsx, all or nothing, idempotent on the order
number, a duplicate order number refused with its rows named, addresses matched by code, by
name and by the matches clerks remembered; the unmatched wait on the clerk's page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from complaints import services
from complaints.choices import Source
from complaints.imports import HotlineImporter
from complaints.models import AddressMatch, Complaint
from portal.imports import run_import

from .conftest import SHANGHAI, csv_bytes, order, xlsx_bytes

pytestmark = pytest.mark.django_db


def _run(user, data):
    return run_import(HotlineImporter(user=user), data, filename=data.name)


def test_gb18030_csv_is_imported_and_matched_by_code_then_name(bureau_user, compound_a, compound_b):
    rows = [
        order("1234520240304001", "某路1号", code=compound_a.code),
        order("1234520240304002", compound_b.name),
        order("1234520240304003", "幸福路88号东门"),
    ]
    result = _run(bureau_user, csv_bytes(rows))
    assert result.ok and result.applied, [str(e) for e in result.errors]
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    by_number = {c.order_number: c for c in Complaint.objects.all()}
    first = by_number["1234520240304001"]
    assert first.compound == compound_a and first.firm == compound_a.firm
    assert first.source == Source.HOTLINE
    assert first.received_at == dt.datetime(2024, 3, 4, 9, 30, tzinfo=SHANGHAI)
    assert first.answer_due is not None
    assert by_number["1234520240304002"].compound == compound_b
    unmatched = by_number["1234520240304003"]
    assert unmatched.compound is None and unmatched.firm is None and unmatched.answer_due is None


def test_xlsx_is_imported_and_importing_it_again_changes_nothing(bureau_user, compound_a):
    rows = [order("X001", compound_a.name), order("X002", "无名地址")]
    assert _run(bureau_user, xlsx_bytes(rows)).created == 2
    before = list(Complaint.objects.values_list("pk", "order_number", "compound_id", "answer_due"))
    history = Complaint.history.count()
    again = _run(bureau_user, xlsx_bytes(rows))
    assert again.ok and (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert (
        list(Complaint.objects.values_list("pk", "order_number", "compound_id", "answer_due"))
        == before
    )
    assert Complaint.history.count() == history


def test_a_duplicate_order_number_in_the_file_is_refused_naming_its_rows(bureau_user, compound_a):
    rows = [order("D001", compound_a.name), order("D002", compound_a.name), order("D001", "别处")]
    result = _run(bureau_user, csv_bytes(rows))
    assert not result.ok and not result.applied
    [error] = result.errors
    assert error.code == "duplicate_key" and error.row == 4 and error.column == "order_number"
    assert "2" in error.message  # the first row with that number
    assert not Complaint.objects.exists()


def test_a_bad_row_refuses_the_whole_file_with_row_and_column(bureau_user, compound_a):
    rows = [order("E001", compound_a.name), order("E002", compound_a.name, received="昨天上午")]
    result = _run(bureau_user, csv_bytes(rows, encoding="utf-8"))
    assert not result.ok
    [error] = result.errors
    assert (error.row, error.column, error.label) == (3, "received_at", "受理时间")
    assert not Complaint.objects.exists()


def test_an_unknown_compound_code_is_a_row_error(bureau_user):
    result = _run(bureau_user, csv_bytes([order("C001", "某地", code="NOPE")]))
    assert [(e.row, e.column) for e in result.errors] == [(2, "compound_code")]
    assert not Complaint.objects.exists()


def test_a_hand_match_is_remembered_and_used_by_the_next_import(bureau_user, compound_a):
    _run(bureau_user, csv_bytes([order("M001", "幸福路88号东门")]))
    count = services.address_match(user=bureau_user, address="幸福路88号东门", compound=compound_a)
    assert count == 1
    assert Complaint.objects.get(order_number="M001").firm == compound_a.firm
    assert AddressMatch.objects.get(address="幸福路88号东门").compound == compound_a
    _run(bureau_user, csv_bytes([order("M002", "幸福路88号东门")]))
    assert Complaint.objects.get(order_number="M002").compound == compound_a


def test_unmatched_rows_are_listed_for_the_clerk_who_matches_them(
    client_of, bureau_user, compound_a
):
    _run(bureau_user, csv_bytes([order("U001", "青年路7号"), order("U002", "青年路7号")]))
    client = client_of(bureau_user)
    page = client.get(reverse("complaints:unmatched"))
    assert page.status_code == 200
    assert "青年路7号" in page.content.decode()
    response = client.post(
        reverse("complaints:unmatched"), {"address": "青年路7号", "compound": compound_a.pk}
    )
    assert response.status_code == 302
    assert Complaint.objects.filter(compound=compound_a).count() == 2
    assert "青年路7号" not in client.get(reverse("complaints:unmatched")).content.decode()


def test_only_the_bureau_matches_addresses(street_officer, bureau_user, compound_a, client_of):
    _run(bureau_user, csv_bytes([order("U003", "青年路9号")]))
    with pytest.raises(ValidationError):
        services.address_match(user=street_officer, address="青年路9号", compound=compound_a)
    assert client_of(street_officer).get(reverse("complaints:unmatched")).status_code == 404
    assert not AddressMatch.objects.exists()


def test_the_command_imports_a_file(tmp_path, bureau_user, compound_a):
    path = tmp_path / "orders.csv"
    path.write_bytes(csv_bytes([order("K001", compound_a.name)]).getvalue())
    call_command("import_complaints", str(path), user=bureau_user.username)
    assert Complaint.objects.get(order_number="K001").compound == compound_a


def test_the_browser_import_previews_then_applies(client_of, bureau_user, compound_a):
    client = client_of(bureau_user)
    url = reverse("complaints:hotline_import")
    assert client.get(url).status_code == 200
    data = csv_bytes([order("B001", compound_a.name)])
    response = client.post(url, {"file": data})
    assert response.status_code == 302
    preview = client.get(url + "?step=preview")
    assert preview.status_code == 200 and "B001" in preview.content.decode()
    assert not Complaint.objects.exists()
    token = preview.context["job"].token
    client.post(url, {"action": "confirm", "token": token})
    assert Complaint.objects.filter(order_number="B001").exists()
