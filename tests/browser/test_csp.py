"""Under the Content-Security-Policy the behaviours that left the templates for static/js
still work, and the pages the crawl of test_accessibility.py does not open report no
violation: the error pages and the 429.

An inline handler is refused only when its event fires, so loading a page is not enough:
each behaviour is used here, as a person would (the language select, the error page's "go
back", a form that asks before it is sent, a searchable picker that asks the server). The
headers themselves are checked without a browser in tests/portal/test_headers.py.
"""

from __future__ import annotations

import pytest

from funds.models import Posting

from .conftest import sign_in
from .test_accessibility import csp_violations, listen_to_the_console

pytestmark = pytest.mark.browser


@pytest.fixture
def watched(page):
    """The page, with what it reports: CSP violations and console errors."""
    console = listen_to_the_console(page)

    def problems(status: int | None = None) -> list[str]:
        """What was reported since last asked, less the console's note of the page's own
        error status when one was expected."""
        expected = f"the server responded with a status of {status}"
        found = csp_violations(page) + [c for c in console if not status or expected not in c]
        console.clear()
        return found

    page.problems = problems
    return page


def test_the_language_select_switches_the_language_when_changed(watched, transactional_db):
    page = watched
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    with page.expect_navigation():
        page.select_option("#language", "en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.problems() == []


def test_an_error_page_goes_back_to_where_the_visitor_came_from(watched, transactional_db):
    page = watched
    page.goto("/credit/redblack/")
    response = page.goto("/firms/no-such-code/")
    assert response.status == 404
    assert page.problems(404) == []
    with page.expect_navigation():
        page.locator("[data-go-back]").click()
    assert page.url.endswith("/credit/redblack/")
    assert page.problems() == []


def test_the_429_page_shows_in_chinese_within_the_policy(
    watched, settings, screenshot, transactional_db
):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "test-csp-429",
        }
    }
    settings.PORTAL_RATE_LIMITS_ENABLED = True
    settings.PORTAL_RATE_LIMITS = {**settings.PORTAL_RATE_LIMITS, "public_search": "1/m"}
    page = watched
    assert page.goto("/firms/?q=物业").status == 200
    response = page.goto("/firms/?q=物业")
    assert response.status == 429
    assert "请求过于频繁" in page.locator("h1").inner_text()
    screenshot(page, "429")
    assert page.problems(429) == []


def test_a_form_that_asks_first_is_sent_only_when_confirmed(watched, account_a, bureau_user):
    page = watched
    sign_in(page, bureau_user.username)
    page.goto(f"/funds/accounts/{account_a.pk}/")
    before = Posting.objects.count()
    reverse_button = page.locator("form[data-confirm] button").first

    page.once("dialog", lambda dialog: dialog.dismiss())
    reverse_button.click()
    page.wait_for_timeout(300)  # a sent form would be navigating by now
    assert Posting.objects.count() == before

    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        reverse_button.click()
    assert Posting.objects.count() == before + 1
    assert page.problems() == []


def test_a_searchable_picker_asks_the_server_within_the_policy(watched, firm_a, bureau_user):
    page = watched
    sign_in(page, bureau_user.username)
    page.goto("/registry/compounds/new/")
    page.locator(".ts-wrapper:has(#id_firm-ts-control) .ts-control").click()
    page.keyboard.type(firm_a.name[:2])
    page.locator("#id_firm-ts-dropdown .option", has_text=firm_a.name).first.wait_for()
    assert page.problems() == []
