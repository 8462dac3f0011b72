"""PublishedPageMiddleware runs first of all middleware (portal/pagecache.py): a kept page is
answered before anything else runs, with the headers the whole stack gave it when it was kept,
and what the middleware it skips would have decided still holds: HTTP is sent to HTTPS, HSTS
goes over HTTPS only, each language has its own page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

# A public page that needs no data: the certificate verification form, kept for everyone.
FORM = reverse("credit:certificate_verify_form")


def rendered_then_kept(client: Client, **extra):
    first = client.get(FORM, **extra)
    second = client.get(FORM, **extra)
    assert first.status_code == second.status_code == 200
    assert first.context is not None and second.context is None  # the view ran once
    return first, second


def test_the_kept_page_has_every_header_the_whole_stack_gave_it():
    first, second = rendered_then_kept(Client())
    assert dict(second.items()) == dict(first.items())
    for header in ("Content-Security-Policy", "Permissions-Policy", "X-Frame-Options"):
        assert header in second, header
    assert second.content == first.content


def test_http_is_sent_to_https_before_a_kept_page_is_served(settings):
    settings.SECURE_SSL_REDIRECT = True
    rendered_then_kept(Client(), secure=True)
    response = Client().get(FORM)
    assert response.status_code == 301
    assert response["Location"] == f"https://testserver{FORM}"


def test_hsts_is_replayed_over_https_only(settings):
    settings.SECURE_HSTS_SECONDS = 3600
    _, https = rendered_then_kept(Client(), secure=True)
    assert https["Strict-Transport-Security"].startswith("max-age=3600")
    _, http = rendered_then_kept(Client())
    assert "Strict-Transport-Security" not in http


def test_each_language_chosen_by_cookie_gets_its_own_kept_page(settings):
    _, chinese = rendered_then_kept(Client())
    english_visitor = Client()
    english_visitor.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    _, english = rendered_then_kept(english_visitor)
    assert chinese["Content-Language"] == "zh-hans" and english["Content-Language"] == "en"
    assert chinese.content != english.content
    assert Client().get(FORM).content == chinese.content


def test_a_language_link_is_answered_by_the_language_middleware(settings):
    rendered_then_kept(Client())
    response = Client().get(FORM, {"lang": "en"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_a_head_request_is_answered_by_the_view():
    rendered_then_kept(Client())
    response = Client().head(FORM)
    assert response.status_code == 200 and response.context is not None
    assert response.content == b""


def test_static_files_are_still_served_by_whitenoise():
    response = Client().get("/static/css/portal.css")
    assert response.status_code == 200
    assert "Content-Security-Policy" in response
