"""The public pages at static-file speed (portal/pagecache.py): an anonymous visitor gets the
kept bytes of the red and black list, its files and a certificate's page without the view
running; a publication, a correction, an approved repair or a revocation shows on the very
next request; signed-in visitors, query strings and messages take the full path."""

from __future__ import annotations

import time

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import reverse

from credit import publication as publishing
from credit import selectors
from credit.services import certificates, repair_application_approve, repair_application_file
from portal import pagecache

from .publishing import YEAR, end_period, open_publicity, pdf
from .test_certificates import republish_with_firm_a_rated

LIST = reverse("credit:redblack")
YEAR_PAGE = reverse("credit:redblack_year", args=[YEAR])
VERSION_1 = reverse("credit:redblack_version", args=[YEAR, 1])
CSV = reverse("credit:redblack_csv", args=[YEAR])
JSON = reverse("credit:redblack_json", args=[YEAR])
KEPT_URLS = [LIST, YEAR_PAGE, VERSION_1, CSV, JSON]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def kept(client: Client, url: str, django_assert_num_queries):
    """The first answer (the view runs) and the second (the kept bytes, no query), each with
    its body read at once (a streamed body is read once)."""
    first = client.get(url)
    assert first.status_code == 200, url
    assert first.context is not None or first.streaming or url.endswith(".json")
    first.body = body(first)
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second.context is None  # no template rendered: the view did not run
    second.body = body(second)
    return first, second


# --- the fast path serves what the view serves ------------------------------------------------


@pytest.mark.parametrize("url", KEPT_URLS)
def test_the_kept_bytes_are_those_the_view_renders(
    client, published, url, django_assert_num_queries
):
    first, second = kept(client, url, django_assert_num_queries)
    assert second.body == first.body
    for header in ("Content-Type", "Content-Disposition", "X-Content-SHA256", "ETag"):
        assert second.get(header) == first.get(header), header
    # Rendered again from scratch (nothing kept), the page is still the same bytes.
    cache.clear()
    assert body(client.get(url)) == first.body


def test_the_anonymous_page_carries_no_csrf_token_nor_cookie(client, published):
    response = client.get(LIST)
    assert b"csrfmiddlewaretoken" not in response.content
    assert not response.cookies
    assert not client.get(LIST).cookies


def test_the_security_and_caching_headers_are_on_the_kept_page(client, published):
    first = client.get(LIST)
    second = client.get(LIST)
    assert second.context is None
    for response in (first, second):
        assert response["Content-Type"] == "text/html; charset=utf-8"
        assert response["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
        assert "camera=()" in response["Permissions-Policy"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cache-Control"] == "no-cache"  # revalidate: a publication may follow
        assert response["ETag"].startswith('"')
        assert response["Content-Language"] == "zh-hans"
    assert second["ETag"] == first["ETag"]


def test_a_known_etag_is_answered_not_modified(client, published):
    etag = client.get(LIST)["ETag"]
    for _ in range(2):  # the view's answer, then the kept one
        response = client.get(LIST, HTTP_IF_NONE_MATCH=etag)
        assert response.status_code == 304 and response.content == b""
        assert response["ETag"] == etag and "Content-Security-Policy" in response
    assert client.get(LIST, HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_the_json_download_served_kept_still_hashes_to_the_digest(client, published):
    client.get(JSON)
    response = client.get(JSON)
    assert response.context is None
    assert response["X-Content-SHA256"] == published.digest
    assert publishing.sha256_hex(response.content.decode()) == published.digest


# --- what changes the list shows on the next request ------------------------------------------


def test_a_publication_shows_on_the_next_request(
    client, bureau_user, publication, django_capture_on_commit_callbacks
):
    before = client.get(LIST).content.decode()
    assert 'id="version-info"' not in before
    assert client.get(LIST).context is None  # kept
    end_period(publication)
    with django_capture_on_commit_callbacks(execute=True):
        version = publishing.publication_publish(user=bureau_user, publication=publication)
    after = client.get(LIST)
    assert after.context is not None  # rendered again
    assert version.digest in after.content.decode()


def test_a_correction_shows_on_the_next_request(
    client, bureau_user, publication, published, compound_a, django_capture_on_commit_callbacks
):
    for url in KEPT_URLS:
        client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        second = republish_with_firm_a_rated(
            70,
            bureau_user=bureau_user,
            publication=publication,
            compound_a=compound_a,
            capture=django_capture_on_commit_callbacks,
        )
    page = client.get(LIST).content.decode()
    assert second.digest in page and published.digest not in page
    assert client.get(JSON)["X-Content-SHA256"] == second.digest
    # The first version's own page now says a later version corrects it.
    assert client.get(VERSION_1).context["is_latest"] is False


def test_an_approved_repair_takes_the_firm_off_the_kept_black_list(
    client, published, bureau_user, other_firm_user, compound_b, django_capture_on_commit_callbacks
):
    before = client.get(LIST).content.decode()
    assert compound_b.firm.name in before
    assert client.get(LIST).context is None
    application = repair_application_file(
        user=other_firm_user, rectification="已整改完毕，公开收费明细。", evidence=[pdf()]
    )
    with django_capture_on_commit_callbacks(execute=True):
        approved = repair_application_approve(user=bureau_user, application=application)
    after = client.get(LIST)
    assert after.context is not None
    assert approved.published_version.digest in after.content.decode()
    assert after.context["version"].number == 2


def test_opening_the_publicity_of_a_year_shows_its_proposed_lists_at_once(
    client, run, bureau_user, compound_a
):
    client.get(LIST)
    assert client.get(LIST).context is None
    open_publicity(bureau_user, run)
    html = client.get(LIST).content.decode()
    assert f'id="proposed-{YEAR}"' in html and compound_a.firm.name in html


def test_a_page_rendered_before_a_commit_is_not_kept_after_it(published):
    """The race the generation closes: a worker reads the generation and the data before a
    publication commits and keeps its page after; the commit's new generation ignores it."""
    current = pagecache.generation()
    key = pagecache.page_key(RequestFactory().get(LIST))
    kept = (current, {"Content-Type": "text/html"}, b"stale", None, 0, time.time() + 60)
    cache.set(key, kept, 60)
    assert Client().get(LIST).content == b"stale"
    pagecache.invalidate()  # what the publication's on_commit does
    assert Client().get(LIST).content != b"stale"


def test_the_published_versions_have_no_staleness_window(bureau_user, publication):
    assert selectors.published_versions() == []
    end_period(publication)
    version = publishing.publication_publish(user=bureau_user, publication=publication)
    assert selectors.published_versions() == [version]


def test_a_lost_generation_serves_nothing_kept(client, published):
    client.get(LIST)
    assert client.get(LIST).context is None
    cache.delete(pagecache.GENERATION_KEY)  # evicted, or the cache was flushed
    assert client.get(LIST).context is not None


# --- who takes the full path ---------------------------------------------------------------


def test_a_signed_in_visitor_gets_their_own_navigation_bar(client_of, published, street_officer):
    Client().get(LIST)
    Client().get(LIST)  # kept for anonymous visitors
    client = client_of(street_officer)
    response = client.get(LIST)
    assert response.context is not None
    html = response.content.decode()
    assert reverse("logout") in html and reverse("login") + '"' not in html
    # And what the signed-in visitor got is not kept for the next anonymous one.
    anonymous = Client().get(LIST).content.decode()
    assert reverse("logout") not in anonymous


def test_a_query_string_takes_the_full_path(client, published):
    client.get(LIST)
    response = client.get(LIST, {"utm": "x"})
    assert response.status_code == 200 and response.context is not None
    assert client.get(LIST, {"utm": "x"}).context is not None  # and is never kept


def test_a_visitor_with_messages_takes_the_full_path(client, published):
    client.get(LIST)
    client.cookies["messages"] = "anything"
    assert client.get(LIST).context is not None


def test_a_visitor_with_a_session_takes_the_full_path(client, published):
    client.get(LIST)
    client.cookies[settings.SESSION_COOKIE_NAME] = "expired-or-not"
    assert client.get(LIST).context is not None


def test_the_kept_pages_count_towards_the_rate_limit(client, published, settings):
    client.get(LIST)
    settings.PORTAL_RATE_LIMITS_ENABLED = True
    settings.PORTAL_RATE_LIMITS = {**settings.PORTAL_RATE_LIMITS, "public_pages": "2/m"}
    assert [client.get(LIST).status_code for _ in range(3)] == [200, 200, 429]


# --- refusals: the same on both paths ----------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        reverse("credit:redblack_version", args=[YEAR, 9]),
        reverse("credit:redblack_year", args=[YEAR + 1]),
        reverse("credit:redblack_version_json", args=[YEAR, 9]),
        reverse("credit:redblack_csv", args=[YEAR + 1]),
    ],
)
def test_what_is_not_published_is_404_every_time(client, published, url):
    assert [client.get(url).status_code for _ in range(3)] == [404, 404, 404]


def test_before_publication_the_files_are_404_every_time(client, publication):
    for url in (CSV, JSON, VERSION_1):
        assert [client.get(url).status_code for _ in range(2)] == [404, 404], url


# --- the certificate's public page ----------------------------------------------------------


@pytest.fixture
def certificate(published, firm_user, firm_a):
    return certificates.certificate_issue(user=firm_user, firm=firm_a)


def test_a_certificate_page_is_kept_and_a_revocation_shows_at_once(
    client, certificate, bureau_user, django_assert_num_queries, django_capture_on_commit_callbacks
):
    url = reverse("credit:certificate_verify", args=[certificate.display_code])
    first, second = kept(client, url, django_assert_num_queries)
    assert second.body == first.body
    assert 'data-result="valid"' in first.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        certificates.certificate_revoke(
            user=bureau_user, certificate=certificate, reason="伪造材料"
        )
    assert 'data-result="revoked"' in client.get(url).content.decode()


def test_an_unknown_code_is_404_every_time(client, published):
    url = reverse("credit:certificate_verify", args=["AAAA-AAAA-AAAA-AAAA-AAAA"])
    assert [client.get(url).status_code for _ in range(2)] == [404, 404]


def test_the_empty_verify_form_is_kept_and_a_typed_code_is_not(client, published):
    form = reverse("credit:certificate_verify_form")
    client.get(form)
    assert client.get(form).context is None
    response = client.get(form, {"code": "nonsense"})
    assert response.context is not None and response.context["malformed"]
