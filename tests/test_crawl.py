"""Every visitor, on the demo, clicks every link it is shown: no 5xx, no link to a page
that refuses it or does not exist, no English error page, no raw code where a label belongs.
Each demo account signs in through the form and lands on a page of its own."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from portal.demo import DEMO_PASSWORD
from tests.crawl import crawl
from tests.demo import load_demo_for_tests

ROLES = ["bureau", "street", "community", "association", "firm", "committee"]


@pytest.fixture(scope="module")
def demo_city(django_db_setup, django_db_blocker):
    """The demo city, loaded once for this module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo_for_tests()
        yield
        transaction.set_rollback(True)


def _problems(result) -> str:
    return "\n".join(result.problems)


@pytest.mark.parametrize("role", ROLES)
def test_each_demo_account_lands_on_its_own_page_and_every_link_opens(role, demo_city, db):
    client = Client()
    response = client.post(
        reverse("login"), {"username": f"demo_{role}", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    landing = response["Location"]
    assert landing == reverse("portal:dashboard")
    page = client.get(landing)
    assert page.status_code == 200
    assert 'id="todo"' in page.content.decode()
    result = crawl(client, [landing, "/"])
    print(f"{role}: {len(result.pages)} pages, {len(result.routes)} routes")
    assert len(result.pages) > 20
    assert not result.problems, _problems(result)


def test_an_anonymous_visitor_finds_every_public_link_open(demo_city, db):
    result = crawl(Client(), ["/"])
    assert len(result.pages) > 10
    assert not result.problems, _problems(result)
