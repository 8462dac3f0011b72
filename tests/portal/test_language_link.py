"""The footer's language switch is a GET form (a link to `?lang=…`): no CSRF token, so a public
page is the same bytes for every visitor; the middleware sets the language cookie and comes
back to the same address."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _language_back():
    """A request in English leaves English active in this thread: back to the default."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


SEARCH = reverse("companies:public_firm_search")


def test_the_language_link_sets_the_cookie_and_comes_back(client):
    response = client.get(SEARCH, {"lang": "en"})
    assert response.status_code == 302 and response["Location"] == SEARCH
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en"
    page = client.get(SEARCH).content.decode()
    assert '<html lang="en">' in page
    client.get(SEARCH, {"lang": "zh-hans"})
    assert '<html lang="zh-hans">' in client.get(SEARCH).content.decode()


def test_the_other_parameters_of_the_address_are_kept(client):
    response = client.get(SEARCH, {"q": "物业", "lang": "en"})
    assert response.status_code == 302
    assert response["Location"] == f"{SEARCH}?q=%E7%89%A9%E4%B8%9A"


def test_an_unknown_language_changes_nothing(client):
    response = client.get(SEARCH, {"lang": "fr"})
    assert response.status_code == 302 and response["Location"] == SEARCH
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert '<html lang="zh-hans">' in client.get(SEARCH).content.decode()


def test_the_footer_switch_is_a_get_form_without_a_token(client):
    page = client.get(SEARCH, {"q": "物业"}).content.decode()
    footer = page[page.index("<footer") :]
    assert '<form method="get"' in footer and 'name="lang"' in footer
    assert "csrfmiddlewaretoken" not in footer
    # The search stays when the language changes: the form carries it along.
    assert '<input type="hidden" name="q" value="物业">' in footer


def test_the_post_form_of_django_still_works(client):
    client.post("/i18n/setlang/", {"language": "en", "next": SEARCH})
    assert '<html lang="en">' in client.get(SEARCH).content.decode()
