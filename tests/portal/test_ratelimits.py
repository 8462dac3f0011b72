"""The public endpoints answer a scraper 429, never a person: per client address (the one the
reverse proxies saw, portal.web.client_ip), a page in Chinese in the portal's layout with a
Retry-After. Signed-in people count per account (colleagues may share an office's address)
and internal pages are not limited at all."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from tests.test_deploy import run_manage

pytestmark = pytest.mark.django_db

LIMITS = {"public_pages": "3/m", "public_search": "3/m", "public_files": "2/m", "sign_in": "3/m"}

PUBLIC = [
    ("/firms/?q=物业", "public_search"),
    ("/firms/91220200MA00000001/", "public_pages"),
    ("/credit/redblack/", "public_pages"),
    ("/credit/redblack/2023/", "public_pages"),
    ("/credit/redblack/2023/v1/", "public_pages"),
    ("/credit/redblack/2023.csv", "public_files"),
    ("/credit/redblack/2023.json", "public_files"),
    ("/credit/redblack/2023/v1.csv", "public_files"),
    ("/credit/redblack/2023/v1.json", "public_files"),
    ("/funds/notices/", "public_search"),
    ("/funds/notices/1/", "public_pages"),
    ("/funds/compounds/C0001/", "public_pages"),
    ("/proposals/replies/", "public_search"),
    ("/proposals/replies/2024-00001/", "public_pages"),
    ("/proposals/replies/2024-00001.pdf", "public_files"),
]


@pytest.fixture(autouse=True)
def _limits(settings):
    """Small limits, counted in a cache of this test's own (never a Redis that other test
    processes share)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "test-ratelimits",
        }
    }
    settings.PORTAL_RATE_LIMITS_ENABLED = True
    settings.PORTAL_RATE_LIMITS = LIMITS
    cache.clear()
    yield
    cache.clear()


def _budget(group: str) -> int:
    return int(LIMITS[group].split("/")[0])


def _assert_429_in_chinese(response) -> None:
    assert response.status_code == 429
    html = response.content.decode()
    assert "请求过于频繁" in html
    assert 'id="menu"' in html  # the portal's layout, not a bare text
    assert "Too Many Requests" not in html
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "Content-Security-Policy" in response.headers


@pytest.mark.parametrize(("url", "group"), PUBLIC, ids=[u for u, _g in PUBLIC])
def test_the_request_past_the_limit_gets_429_in_chinese(client, url, group):
    # The limits count per minute: the requests all fall in one minute, not two (the last
    # one went uncounted when a slow run crossed into the next minute).
    with time_machine.travel(dt.datetime(2026, 11, 29, 10, 0, 30, tzinfo=dt.UTC), tick=False):
        _past_the_limit(client, url, group)


def _past_the_limit(client, url, group):
    for _ in range(_budget(group)):
        assert client.get(url).status_code != 429
    _assert_429_in_chinese(client.get(url))


def test_another_address_behind_the_same_proxy_is_not_limited(client, settings):
    settings.PORTAL_PROXY_COUNT = 1
    url = "/firms/?q=物业"

    def get(forwarded_for: str):
        return client.get(url, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded_for)

    for _ in range(_budget("public_search")):
        assert get("203.0.113.5").status_code == 200
    _assert_429_in_chinese(get("203.0.113.5"))
    # What the client wrote left of the proxy's entry is its own claim: no fresh budget.
    assert get("198.51.100.9, 203.0.113.5").status_code == 429
    assert get("203.0.113.6").status_code == 200


def test_an_ipv6_client_counts_by_its_network_not_by_each_address(client):
    url = "/firms/?q=物业"
    for host in range(1, _budget("public_search") + 1):
        assert client.get(url, REMOTE_ADDR=f"2001:db8:1:2::{host}").status_code == 200
    assert client.get(url, REMOTE_ADDR="2001:db8:1:2::ffff").status_code == 429
    assert client.get(url, REMOTE_ADDR="2001:db8:1:3::1").status_code == 200


def test_sign_in_attempts_from_one_address_are_limited_across_user_names(client):
    for n in range(_budget("sign_in")):
        response = client.post(reverse("login"), {"username": f"guess{n}", "password": "x" * 12})
        assert response.status_code == 200  # the form again, with its error
    response = client.post(reverse("login"), {"username": "another", "password": "x" * 12})
    _assert_429_in_chinese(response)
    assert client.get(reverse("login")).status_code == 200  # the form itself stays open


def test_a_signed_in_bureau_clerk_is_not_limited_on_internal_pages(client_of, bureau_user):
    client = client_of(bureau_user)
    for _ in range(3 * _budget("public_pages")):
        assert client.get(reverse("companies:firm_list")).status_code == 200
        assert client.get(reverse("portal:dashboard")).status_code == 200


def test_colleagues_behind_one_address_each_have_their_own_budget(
    client, client_of, street_officer, street_colleague
):
    url = "/firms/?q=物业"
    first = client_of(street_officer)
    for _ in range(_budget("public_search")):
        assert first.get(url).status_code == 200
    assert first.get(url).status_code == 429
    first.logout()
    assert client_of(street_colleague).get(url).status_code == 200


def test_the_limits_can_be_turned_off(client, settings):
    settings.PORTAL_RATE_LIMITS_ENABLED = False
    for _ in range(3 * _budget("public_search")):
        assert client.get("/firms/?q=物业").status_code == 200


def test_a_rate_that_is_not_one_refuses_to_start():
    result = run_manage("check", env={"PORTAL_RATE_PUBLIC_FILES": "twenty a minute"})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "PORTAL_RATE_PUBLIC_FILES" in result.stderr
