"""Readable by everyone, on one line: every page the crawl visits, as every demo visitor, in
Chromium at 1280 px, with axe-core (WCAG 2.1 AA) finding nothing serious or critical, and the
navigation bar on a single line.

The demo is loaded and committed for the live server's thread (which flushes it after each
test, hence the visitors in groups, one load each); the crawl of tests/crawl.py picks one
address per page kind for each visitor, and the browser opens them.
"""

from __future__ import annotations

from collections import defaultdict

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import resolve

from portal.demo import DEMO_PASSWORD
from tests.crawl import crawl
from tests.demo import load_demo_for_tests

from .conftest import sign_in

pytestmark = pytest.mark.browser

# Three groups, so that two test processes share the work; None is the anonymous visitor.
VISITOR_GROUPS = [("bureau", "association"), ("street", "community", None), ("firm", "committee")]
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
BLOCKING = {"serious", "critical"}


@pytest.fixture
def committed_demo(transactional_db):
    """The demo city, committed, for the live server's thread (flushed after the test)."""
    load_demo_for_tests()


def _one_page_per_kind(username: str | None) -> list[str]:
    client = Client()
    if username:
        client.force_login(get_user_model().objects.get(username=username))
    result = crawl(client, ["/dashboard/" if username else "/", "/"])
    chosen: dict[str, str] = {}
    for url in result.html_pages:
        chosen.setdefault(resolve(url.split("?")[0]).view_name, url)
    return list(chosen.values())


def _serious(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=AXE_OPTIONS).response
    return [
        f"{v['id']} ({v['impact']}): {len(v['nodes'])} × e.g. {v['nodes'][0]['target']}"
        for v in results["violations"]
        if v["impact"] in BLOCKING
    ]


def _menu_on_one_line(page) -> bool:
    """Every top item of the bar, and the account menu, stand on the same line."""
    return page.evaluate(
        """() => {
            const items = [...document.querySelectorAll('#nav > .navbar-nav > .nav-item')];
            const tops = new Set(items.map(i => Math.round(i.getBoundingClientRect().top)));
            return items.length > 0 && tops.size === 1;
        }"""
    )


@pytest.mark.parametrize(
    "visitors", VISITOR_GROUPS, ids=["-".join(r or "anonymous" for r in g) for g in VISITOR_GROUPS]
)
def test_every_page_a_visitor_reaches_passes_axe_and_keeps_the_bar_on_one_line(
    visitors, page, live_server, committed_demo, screenshot
):
    problems: dict[str, list[str]] = defaultdict(list)
    for role in visitors:
        username = f"demo_{role}" if role else None
        page.context.clear_cookies()
        if username:
            sign_in(page, username, password=DEMO_PASSWORD)
        for url in _one_page_per_kind(username):
            page.goto(url)
            where = f"{role or 'anonymous'} {url}"
            problems[where].extend(_serious(page))
            if not _menu_on_one_line(page):
                problems[where].append("the navigation bar wraps at 1280 px")
        screenshot(page, f"{role or 'anonymous'}-last-page")
    found = {url: p for url, p in problems.items() if p}
    assert not found, "\n".join(f"{url}: {'; '.join(p)}" for url, p in found.items())
