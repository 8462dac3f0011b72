"""The public red and black list: published versions only, stable addresses, verifiable."""

from __future__ import annotations

import csv
import hashlib
import io
import json

import pytest
from django.core.cache import cache
from django.urls import reverse

from credit import publication as services
from credit.models import Assessment, Rating
from tests.factories import CompoundFactory

from .helpers import assess, event, rate
from .publishing import CODES, YEAR, end_period, open_publicity


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


PUBLIC_URLS = [
    reverse("credit:redblack_year", args=[YEAR]),
    reverse("credit:redblack_version", args=[YEAR, 1]),
    reverse("credit:redblack_csv", args=[YEAR]),
    reverse("credit:redblack_json", args=[YEAR]),
]


def test_before_publication_only_the_proposed_list_is_public(
    client, publication, compound_a, compound_b
):
    response = client.get(reverse("credit:redblack"))
    assert response.status_code == 200
    assert response.context["version"] is None
    html = response.content.decode()
    # The proposed list, labelled as such (公示), not a published version.
    proposed = html[html.index(f'id="proposed-{YEAR}"') :]
    for firm in (compound_a.firm, compound_b.firm):
        assert firm.name in proposed
    assert 'id="version-info"' not in html
    assert client.get(PUBLIC_URLS[0]).status_code == 200  # the year's page: the proposal
    for url in PUBLIC_URLS[1:]:
        assert client.get(url).status_code == 404, url
    firm_page = client.get(
        reverse("companies:public_firm_detail", args=[compound_a.firm.credit_code])
    )
    assert firm_page.status_code == 200
    assert firm_page.context["credit_record"] == []
    assert firm_page.context["listing_history"] == []


def test_the_public_list_shows_the_published_lists(client, published, compound_a, compound_b):
    response = client.get(reverse("credit:redblack"))
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["version"].pk == published.pk
    assert compound_a.firm.name in html and compound_b.firm.name in html
    assert reverse("companies:public_firm_detail", args=[compound_a.firm.credit_code]) in html
    assert published.digest in html
    # The firm rated B is on neither list.
    b_firm = Rating.objects.get(run=published.run, grade="B").firm
    assert b_firm.name not in html


def test_the_json_download_hashes_to_the_digest_shown(client, published):
    page = client.get(reverse("credit:redblack_year", args=[YEAR]))
    response = client.get(reverse("credit:redblack_json", args=[YEAR]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    digest = hashlib.sha256(response.content).hexdigest()
    assert digest == published.digest
    assert f'id="digest">{digest}<'.encode() in page.content
    data = json.loads(response.content)
    assert data["year"] == YEAR and data["version"] == 1


def test_the_csv_is_derived_from_the_frozen_json(client, published, compound_a):
    response = client.get(reverse("credit:redblack_csv", args=[YEAR]))
    assert response.status_code == 200
    body = b"".join(response.streaming_content)  # written row by row
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert [(r["list"], r["grade"]) for r in rows] == [("red", "A"), ("black", "D")]
    assert rows[0]["credit_code"] == compound_a.firm.credit_code
    assert rows[0]["score"] == "92.00" and rows[0]["compounds"] == "1"


def test_old_versions_stay_readable_after_a_correction(
    client, bureau_user, published, publication, compound_a, django_capture_on_commit_callbacks
):
    for code in CODES:
        Assessment.objects.filter(year=YEAR, compound=compound_a, indicator__code=code).delete()
        assess(YEAR, compound_a, compound_a.firm, code, "street", 70)
    corrected = rate(YEAR, django_capture_on_commit_callbacks)
    services.publication_set_run(user=bureau_user, publication=publication, run=corrected)
    second = services.publication_publish(
        user=bureau_user, publication=publication, change_note="东苑小区 corrected"
    )

    current = client.get(reverse("credit:redblack"))
    assert current.context["version"].pk == second.pk
    assert compound_a.firm.name not in current.content.decode()
    assert "东苑小区 corrected" in current.content.decode()

    old = client.get(reverse("credit:redblack_version", args=[YEAR, 1]))
    assert old.status_code == 200
    assert compound_a.firm.name in old.content.decode()
    assert published.digest in old.content.decode()
    assert not old.context["is_latest"]
    old_json = client.get(reverse("credit:redblack_version_json", args=[YEAR, 1]))
    assert hashlib.sha256(old_json.content).hexdigest() == published.digest
    latest_json = client.get(reverse("credit:redblack_json", args=[YEAR]))
    assert hashlib.sha256(latest_json.content).hexdigest() == second.digest
    assert client.get(reverse("credit:redblack_version", args=[YEAR, 3])).status_code == 404
    firm_page = client.get(
        reverse("companies:public_firm_detail", args=[compound_a.firm.credit_code])
    )
    record = firm_page.context["credit_record"]
    assert [(r["year"], r["grade"], r["number"]) for r in record] == [(YEAR, "C", 2)]


def test_the_public_firm_page_shows_published_grades_only(
    client, published, compound_a, bureau_user, django_capture_on_commit_callbacks
):
    # A later year rated but not published stays invisible.
    for code in CODES:
        assess(YEAR + 1, compound_a, compound_a.firm, code, "street", 50)
    rate(YEAR + 1, django_capture_on_commit_callbacks)
    response = client.get(
        reverse("companies:public_firm_detail", args=[compound_a.firm.credit_code])
    )
    assert response.status_code == 200
    record = response.context["credit_record"]
    assert [(r["year"], r["grade"], r["number"]) for r in record] == [(YEAR, "A", 1)]
    assert b'id="grade-history"' in response.content


def _many_firms_with_events() -> None:
    """60 firms, every other one on the black list with a deduction, some with a veto."""
    for i in range(60):
        compound = CompoundFactory()
        for code in CODES:
            assess(YEAR, compound, compound.firm, code, "street", 95 if i % 2 else 50)
        if not i % 2:
            event(YEAR, compound.firm, "deduction", 3, reason=f"行政处罚 {i}")
        if not i % 10:
            event(YEAR, compound.firm, "veto", reason=f"重大安全责任事故 {i}")


def test_the_proposed_list_is_served_with_a_bounded_number_of_queries(
    client, bureau_user, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    _many_firms_with_events()
    open_publicity(bureau_user, rate(YEAR, django_capture_on_commit_callbacks))
    # The versions, the years in publicity, the proposed ratings, their credit events.
    with django_assert_max_num_queries(4):
        first = client.get(reverse("credit:redblack"))
    html = first.content.decode()
    assert len(html.split("/firms/")) > 60 and "行政处罚 0" in html
    with django_assert_max_num_queries(2):  # cached: the versions, the publicity
        client.get(reverse("credit:redblack"))


def test_the_public_list_is_served_with_a_bounded_number_of_queries(
    client, bureau_user, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    _many_firms_with_events()
    run = rate(YEAR, django_capture_on_commit_callbacks)
    publication = end_period(open_publicity(bureau_user, run))
    services.publication_publish(user=bureau_user, publication=publication)
    with django_assert_max_num_queries(6):
        # The versions, the years in publicity, then the frozen lists of the year and of the
        # earlier years a veto may reach, the ratings, the credit events, the repairs.
        first = client.get(reverse("credit:redblack"))
    assert first.status_code == 200
    assert len(first.content.decode().split("/firms/")) > 60
    with django_assert_max_num_queries(0):  # the kept page (portal/pagecache.py)
        again = client.get(reverse("credit:redblack"))
    # The footer's language switch is a GET form: no CSRF token, the same bytes for everyone.
    assert again.content == first.content
    assert b"csrfmiddlewaretoken" not in again.content


def test_a_signed_in_user_never_gets_the_cached_anonymous_page(client, published, street_officer):
    client.get(reverse("credit:redblack"))  # an anonymous visit fills the page cache
    client.force_login(street_officer)
    page = client.get(reverse("credit:redblack")).content.decode()
    assert street_officer.username in page or str(street_officer) in page
    assert reverse("logout") in page
