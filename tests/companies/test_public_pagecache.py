"""A firm's public page is kept for anonymous visitors under the stamp of what it shows
(companies/public_page.py, credit's events stamp): any edit of the firm, its compounds, their
community or street, or its credit events shows on the next request, without invalidation."""

from __future__ import annotations

import pytest
from django.db.models import Count, OuterRef, Subquery
from django.test import Client
from django.urls import reverse

from companies import public_page
from companies.models import Compound, Firm
from credit.choices import EventKind
from credit.models import CreditEvent
from portal import pagecache
from portal.models import Street
from tests.credit.helpers import event


def page_of(firm: Firm) -> str:
    return reverse("companies:public_firm_detail", args=[firm.credit_code])


def kept(url: str, django_assert_max_num_queries):
    """The page rendered by the view, then served kept (the stamp's one read only)."""
    first = Client().get(url)
    assert first.status_code == 200 and first.context is not None
    with django_assert_max_num_queries(1):
        second = Client().get(url)
    assert second.context is None
    assert second.content == first.content
    return second.content.decode()


def test_the_firm_page_is_kept_and_the_same_bytes(compound_a, django_assert_max_num_queries):
    html = kept(page_of(compound_a.firm), django_assert_max_num_queries)
    assert compound_a.name in html and compound_a.firm.name in html
    assert "csrfmiddlewaretoken" not in html


@pytest.mark.parametrize(
    "edit",
    [
        lambda c: Firm.objects.filter(pk=c.firm_id).update(name="改名物业有限公司"),
        lambda c: Firm.objects.filter(pk=c.firm_id).update(address="新地址路1号"),
        lambda c: Compound.objects.filter(pk=c.pk).update(name="改名小区"),
        lambda c: Street.objects.filter(pk=c.community.street_id).update(name="改名街道"),
        lambda c: Compound.objects.filter(pk=c.pk).update(firm=None),
    ],
    ids=["firm-name", "firm-address", "compound-name", "street-name", "compound-left"],
)
def test_an_edit_of_what_the_page_shows_shows_at_once(
    compound_a, edit, django_assert_max_num_queries
):
    before = kept(page_of(compound_a.firm), django_assert_max_num_queries)
    edit(compound_a)
    after = Client().get(page_of(compound_a.firm))
    assert after.context is not None  # rendered again
    assert after.content.decode() != before


def test_a_compound_taken_over_shows_at_once(compound_a, compound_b, django_assert_max_num_queries):
    kept(page_of(compound_a.firm), django_assert_max_num_queries)
    Compound.objects.filter(pk=compound_b.pk).update(firm=compound_a.firm)
    assert compound_b.name in Client().get(page_of(compound_a.firm)).content.decode()


def test_a_credit_event_changes_the_stamp(compound_a, django_assert_max_num_queries):
    kept(page_of(compound_a.firm), django_assert_max_num_queries)
    event(2023, compound_a.firm, EventKind.DEDUCTION, 5)
    assert Client().get(page_of(compound_a.firm)).context is not None


def events_count():
    events = CreditEvent.objects.filter(firm=OuterRef("pk")).order_by().values("firm")
    return Subquery(events.annotate(count=Count("pk")).values("count"))


@pytest.fixture
def events_as_a_stamp_column(monkeypatch):
    """The firm's events stamped by a column of the registry's query, not a query of their own."""
    monkeypatch.setattr(public_page, "_columns", [])
    monkeypatch.setitem(pagecache._stamps, public_page.URL_NAME, [public_page.firm_page_stamp])
    public_page.register_stamp_column(events_count)
    yield
    public_page._stamp_query.cache_clear()


def test_a_stamp_column_is_read_in_the_registry_query(
    compound_a, events_as_a_stamp_column, django_assert_num_queries
):
    url = page_of(compound_a.firm)
    Client().get(url)
    with django_assert_num_queries(1):
        assert Client().get(url).context is None
    event(2023, compound_a.firm, EventKind.DEDUCTION, 5)
    assert Client().get(url).context is not None


def test_an_unknown_firm_is_404_every_time(db):
    url = reverse("companies:public_firm_detail", args=["91110000000000000X"])
    assert [Client().get(url).status_code for _ in range(2)] == [404, 404]


def test_a_signed_in_visitor_gets_the_full_page(client_of, compound_a, street_officer):
    Client().get(page_of(compound_a.firm))
    response = client_of(street_officer).get(page_of(compound_a.firm))
    assert response.context is not None
    assert reverse("logout") in response.content.decode()
    assert reverse("logout") not in Client().get(page_of(compound_a.firm)).content.decode()
