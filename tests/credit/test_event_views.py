"""Credit events entered by bureau staff: the list, creation with evidence, editing, and every
refusal writes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from credit.models import CreditEvent

from .helpers import event

YEAR = 2023
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def form_data(the_firm, **overrides) -> dict:
    data = {
        "year": YEAR,
        "firm": the_firm.credit_code,
        "kind": "deduction",
        "points": "3",
        "date": "2023-05-04",
        "reason": "Administrative penalty 2023-12",
    }
    data.update(overrides)
    return data


def test_bureau_records_an_event_with_evidence(client_of, bureau_user, firm_a):
    data = form_data(firm_a, evidence=SimpleUploadedFile("penalty.pdf", PDF, "application/pdf"))
    response = client_of(bureau_user).post(reverse("credit:event_create"), data)
    assert response.status_code == 302
    created = CreditEvent.objects.get()
    assert (created.firm, created.kind, created.points, created.date) == (
        firm_a,
        "deduction",
        Decimal("3"),
        dt.date(2023, 5, 4),
    )
    assert created.created_by == bureau_user
    assert created.evidence.name.endswith(".pdf")
    download = client_of(bureau_user).get(
        reverse("portal:file", args=["credit-evidence", created.pk])
    )
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF


def test_the_credit_code_may_be_typed_in_lower_case(client_of, bureau_user, firm_a):
    data = form_data(firm_a, firm=firm_a.credit_code.lower(), kind="bonus", points="2.5")
    assert client_of(bureau_user).post(reverse("credit:event_create"), data).status_code == 302
    assert CreditEvent.objects.get().points == Decimal("2.5")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"points": "-1"}, "points"),
        ({"points": "1.234"}, "points"),
        ({"date": "2022-12-31"}, "date"),
        ({"reason": "  "}, "reason"),
        ({"firm": "91220200000000000X"}, "firm"),
        ({"kind": "praise"}, "kind"),
    ],
)
def test_bad_events_are_refused_and_nothing_is_written(
    client_of, bureau_user, firm_a, overrides, field
):
    response = client_of(bureau_user).post(
        reverse("credit:event_create"), form_data(firm_a, **overrides)
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not CreditEvent.objects.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("virus.exe", b"MZ\x90\x00"),
        ("notes.txt", b"hello"),
        ("fake.pdf", b"<html>not a pdf</html>"),
    ],
)
def test_evidence_other_than_pdf_jpg_png_is_refused(client_of, bureau_user, firm_a, name, content):
    data = form_data(firm_a, evidence=SimpleUploadedFile(name, content))
    response = client_of(bureau_user).post(reverse("credit:event_create"), data)
    assert response.status_code == 200
    assert "evidence" in response.context["form"].errors
    assert not CreditEvent.objects.exists()


def test_evidence_above_the_size_limit_is_refused(client_of, bureau_user, firm_a, settings):
    settings.CREDIT_EVIDENCE_MAX_BYTES = 20
    data = form_data(firm_a, evidence=SimpleUploadedFile("big.png", PNG))
    response = client_of(bureau_user).post(reverse("credit:event_create"), data)
    assert "evidence" in response.context["form"].errors
    assert not CreditEvent.objects.exists()


def test_a_duplicate_event_is_refused(client_of, bureau_user, firm_a):
    client = client_of(bureau_user)
    assert client.post(reverse("credit:event_create"), form_data(firm_a)).status_code == 302
    again = client.post(reverse("credit:event_create"), form_data(firm_a))
    assert again.status_code == 200
    assert again.context["form"].non_field_errors()
    assert CreditEvent.objects.count() == 1


@pytest.mark.parametrize("who", ["association_user", "street_officer", "firm_user"])
def test_only_bureau_records_events(client_of, firm_a, who, request):
    client = client_of(request.getfixturevalue(who))
    assert client.post(reverse("credit:event_create"), form_data(firm_a)).status_code == 403
    assert not CreditEvent.objects.exists()


def test_bureau_edits_an_event_and_the_history_keeps_why(client_of, bureau_user, firm_a):
    existing = event(YEAR, firm_a, "bonus", 2, reason="Red-heart project")
    data = form_data(firm_a, kind="bonus", points="4", reason="Red-heart project")
    data["change_reason"] = "Second project verified"
    data["year"] = YEAR + 1  # fixed on an existing event: ignored
    response = client_of(bureau_user).post(reverse("credit:event_edit", args=[existing.pk]), data)
    assert response.status_code == 302
    existing.refresh_from_db()
    assert (existing.points, existing.year, existing.date) == (
        Decimal("4"),
        YEAR,
        dt.date(2023, 5, 4),
    )
    latest = existing.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (
        bureau_user,
        "Second project verified",
    )


def test_an_edit_with_a_date_outside_the_year_changes_nothing(client_of, bureau_user, firm_a):
    existing = event(YEAR, firm_a, "bonus", 2, reason="Award")
    data = form_data(firm_a, kind="bonus", points="4", reason="Award", date="2024-01-01")
    response = client_of(bureau_user).post(reverse("credit:event_edit", args=[existing.pk]), data)
    assert response.status_code == 200
    assert "date" in response.context["form"].errors
    existing.refresh_from_db()
    assert existing.points == Decimal("2")


def test_only_bureau_edits_events(client_of, association_user, firm_a):
    existing = event(YEAR, firm_a, "bonus", 2)
    response = client_of(association_user).post(
        reverse("credit:event_edit", args=[existing.pk]), form_data(firm_a, points="5")
    )
    assert response.status_code == 403
    existing.refresh_from_db()
    assert existing.points == Decimal("2")


def test_the_list_filters_by_year_firm_and_kind(client_of, bureau_user, firm_a, firm_b):
    event(YEAR, firm_a, "bonus", 1)
    event(YEAR, firm_b, "deduction", 2)
    event(YEAR - 1, firm_a, "veto")
    client = client_of(bureau_user)

    def listed(**params):
        response = client.get(reverse("credit:event_list"), params)
        assert response.status_code == 200
        return sorted((e.year, e.firm.name, e.kind) for e in response.context["page_obj"])

    assert len(listed()) == 3
    assert listed(year=YEAR) == sorted(
        [(YEAR, firm_a.name, "bonus"), (YEAR, firm_b.name, "deduction")]
    )
    assert listed(firm=firm_b.credit_code) == [(YEAR, firm_b.name, "deduction")]
    assert listed(firm="东方") == sorted(
        [(YEAR, firm_a.name, "bonus"), (YEAR - 1, firm_a.name, "veto")]
    )
    assert listed(kind="veto") == [(YEAR - 1, firm_a.name, "veto")]


def test_the_list_pages_with_a_bounded_number_of_queries(
    client_of, association_user, firm_a, django_assert_max_num_queries
):
    for n in range(120):
        event(YEAR, firm_a, "bonus", 1, reason=f"award {n}")
    client = client_of(association_user)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("credit:event_list"))
    assert len(response.context["page_obj"]) == 50
    assert not response.context["can_manage"]


@pytest.mark.parametrize("who", ["street_officer", "firm_user", "committee_user"])
def test_events_do_not_exist_for_other_roles(client_of, firm_a, who, request):
    existing = event(YEAR, firm_a, "bonus", 1)
    client = client_of(request.getfixturevalue(who))
    assert client.get(reverse("credit:event_list")).status_code == 404
    assert (
        client.get(reverse("portal:file", args=["credit-evidence", existing.pk])).status_code == 404
    )
