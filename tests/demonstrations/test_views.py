"""The pages: the firm applies, each officer answers on the application's page, anyone else
finds nothing (404) and writes nothing; the public list of a year's approved projects."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from credit.models import CreditEvent
from demonstrations.choices import STANDARD_KEYS, State
from demonstrations.models import Application

from .conftest import SHANGHAI

IN_2026 = dt.datetime(2026, 3, 4, 10, tzinfo=SHANGHAI)


def test_a_firm_applies_with_its_evidence(client_of, firm_user, party_compound):
    client = client_of(firm_user)
    assert client.get(reverse("demonstrations:application_create")).status_code == 200
    survey = SimpleUploadedFile("满意度调查.pdf", b"%PDF-1.4", content_type="application/pdf")
    response = client.post(
        reverse("demonstrations:application_create"),
        {
            "compound": party_compound.pk,
            "year": 2026,
            "party_org": "东苑小区党支部",
            "standards": STANDARD_KEYS,
            "description": "红色物业。",
            "files": [survey],
        },
    )
    application = Application.objects.get()
    assert response.status_code == 302
    assert application.state == State.SUBMITTED and application.satisfaction is None
    file = application.files.get()
    url = reverse("portal:file", args=["demonstration-evidence", file.pk])
    assert client.get(url).status_code == 200


def test_a_firm_cannot_apply_for_another_firms_compound(client_of, firm_user, compound_b):
    response = client_of(firm_user).post(
        reverse("demonstrations:application_create"),
        {
            "compound": compound_b.pk,
            "year": 2026,
            "party_org": "x",
            "standards": STANDARD_KEYS,
            "satisfaction": "90",
            "description": "x",
        },
    )
    assert response.status_code == 200  # the form again, with the refusal
    assert not Application.objects.exists()


def test_officers_of_other_areas_find_nothing_and_write_nothing(
    client_of, submitted, other_community_officer, other_street_officer, other_firm_user
):
    detail = reverse("demonstrations:application_detail", args=[submitted.pk])
    answer = reverse("demonstrations:community_answer", args=[submitted.pk])
    for user in (other_community_officer, other_street_officer, other_firm_user):
        client = client_of(user)
        assert client.get(detail).status_code == 404
        assert client.post(answer, {"recommend": "yes"}).status_code == 404
    submitted.refresh_from_db()
    assert submitted.state == State.SUBMITTED


def test_the_association_and_committees_have_no_application_pages(
    client_of, association_user, committee_user
):
    for user in (association_user, committee_user):
        response = client_of(user).get(reverse("demonstrations:application_list"))
        assert response.status_code == 404


def test_the_street_cannot_answer_before_the_community(client_of, submitted, street_officer):
    response = client_of(street_officer).post(
        reverse("demonstrations:street_answer", args=[submitted.pk]), {"recommend": "yes"}
    )
    assert response.status_code == 200
    submitted.refresh_from_db()
    assert submitted.state == State.SUBMITTED and submitted.street_at is None


def test_the_community_and_street_recommend_and_the_bureau_approves_with_the_bonus(
    client_of, submitted, community_officer, street_officer, bureau_user, party_compound
):
    with time_machine.travel(IN_2026, tick=False):
        client_of(community_officer).post(
            reverse("demonstrations:community_answer", args=[submitted.pk]), {"recommend": "yes"}
        )
        client_of(street_officer).post(
            reverse("demonstrations:street_answer", args=[submitted.pk]), {"recommend": "yes"}
        )
        bureau = client_of(bureau_user)
        page = bureau.get(reverse("demonstrations:application_detail", args=[submitted.pk]))
        assert 'id="decide"' in page.content.decode()
        response = bureau.post(
            reverse("demonstrations:decide", args=[submitted.pk]),
            {"approve": "yes", "bonus": "on"},
        )
    assert response.status_code == 302
    submitted.refresh_from_db()
    party_compound.refresh_from_db()
    assert submitted.state == State.APPROVED and party_compound.red_heart_year == 2026
    assert CreditEvent.objects.get() == submitted.credit_event


def test_a_refusal_without_reasons_shows_on_the_form_and_writes_nothing(
    client_of, street_ok, bureau_user
):
    response = client_of(bureau_user).post(
        reverse("demonstrations:decide", args=[street_ok.pk]), {"approve": "no"}
    )
    assert response.status_code == 200
    street_ok.refresh_from_db()
    assert street_ok.state == State.STREET_OK


def test_the_public_list_shows_the_years_approved_projects(
    client, street_ok, bureau_user, party_compound
):
    from demonstrations import services

    services.application_decide(user=bureau_user, application=street_ok, approve=True)
    services.list_publish(user=bureau_user, year=2026)
    page = client.get(reverse("demonstrations:public_year", args=[2026])).content.decode()
    compound = party_compound
    for text in (
        compound.name,
        compound.community.name,
        compound.community.street.name,
        compound.firm.name,
    ):
        assert text in page
    with time_machine.travel(IN_2026, tick=False):
        current = client.get(reverse("demonstrations:public_current")).content.decode()
    assert compound.name in current
    empty = client.get(reverse("demonstrations:public_year", args=[2025]))
    assert 'id="no-demonstrations"' in empty.content.decode()
    assert reverse("demonstrations:public_year", args=[2026]) in empty.content.decode()


def test_the_public_list_leaves_out_what_is_not_approved(client, street_ok, party_compound):
    page = client.get(reverse("demonstrations:public_year", args=[2026])).content.decode()
    assert 'id="no-demonstrations"' in page


def test_the_public_sees_a_years_list_once_the_bureau_published_it(
    client, client_of, street_ok, bureau_user, street_officer, party_compound
):
    from demonstrations import services
    from demonstrations.models import Publication

    services.application_decide(user=bureau_user, application=street_ok, approve=True)
    url = reverse("demonstrations:public_year", args=[2026])
    assert party_compound.name not in client.get(url).content.decode()
    publish = reverse("demonstrations:publish", args=[2026])
    assert client_of(street_officer).post(publish).status_code == 404
    assert not Publication.objects.exists()
    bureau = client_of(bureau_user)
    assert 'id="publish"' in bureau.get(url).content.decode()
    assert bureau.post(publish).status_code == 302
    assert Publication.objects.get().published_by == bureau_user
    assert party_compound.name in client.get(url).content.decode()


def test_a_year_without_an_approval_cannot_be_published(bureau_user, street_ok):
    import pytest
    from django.core.exceptions import ValidationError

    from demonstrations import services
    from demonstrations.models import Publication

    with pytest.raises(ValidationError):
        services.list_publish(user=bureau_user, year=2026)
    assert not Publication.objects.exists()


def test_the_public_menu_links_the_list(client):
    page = client.get(reverse("demonstrations:public_year", args=[2026])).content.decode()
    assert reverse("demonstrations:public_current") in page


def test_a_year_out_of_range_is_not_found(client):
    assert client.get("/demonstrations/1999/").status_code == 404
