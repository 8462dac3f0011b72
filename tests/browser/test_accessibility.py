"""Readable by everyone, on one line, within the Content-Security-Policy: every page the crawl
visits, as every demo visitor, in Chromium at 1280 px, with axe-core (WCAG 2.1 AA) finding
nothing serious or critical, the navigation bar on a single line, no CSP violation (no inline
script, style or handler the policy refused, on the page or from a library) and no error in
the console, the sign-in pages included.

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
from tests.signin import verified_login

from .conftest import sign_in

pytestmark = pytest.mark.browser

# Three groups, so that two test processes share the work; None is the anonymous visitor.
VISITOR_GROUPS = [
    ("bureau", "association"),
    ("street", "community", None),
    ("firm", "committee", "dept_chengguan"),
]
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
BLOCKING = {"serious", "critical"}
# Before any script of the page: keep each Content-Security-Policy violation it reports.
CSP_LISTENER = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
    window.__csp.push(`${e.effectiveDirective} refused ${e.blockedURI || "inline"}`
        + ` at ${e.sourceFile || "?"}:${e.lineNumber} ${e.sample || ""}`);
});
"""


@pytest.fixture
def committed_demo(transactional_db):
    """The demo city, committed, for the live server's thread (flushed after the test)."""
    load_demo_for_tests()


def _one_page_per_kind(username: str | None) -> list[str]:
    client = Client()
    if username:
        verified_login(client, get_user_model().objects.get(username=username))
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


def csp_violations(page) -> list[str]:
    return [f"CSP: {v}" for v in page.evaluate("window.__csp || []")]


def listen_to_the_console(page) -> list[str]:
    """The errors the console shows and the exceptions no script caught, as they come (not the
    browser's own asking for a /favicon.ico, which the portal does not have)."""
    errors: list[str] = []

    def heard(message) -> None:
        url = message.location.get("url", "")
        if message.type == "error" and not url.endswith("/favicon.ico"):
            errors.append(f"console: {message.text} ({url})")

    page.on("console", heard)
    page.on("pageerror", lambda exc: errors.append(f"uncaught: {exc}"))
    page.add_init_script(CSP_LISTENER)
    return errors


def _taken(found: list[str]) -> list[str]:
    taken = list(found)
    found.clear()
    return taken


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
    console = listen_to_the_console(page)
    for role in visitors:
        username = f"demo_{role}" if role else None
        page.context.clear_cookies()
        if username:
            sign_in(page, username, password=DEMO_PASSWORD)
            problems[f"{role} signing in"].extend(_taken(console))
        for url in _one_page_per_kind(username):
            page.goto(url)
            where = f"{role or 'anonymous'} {url}"
            problems[where].extend(_serious(page))
            problems[where].extend(csp_violations(page) + _taken(console))
            if not _menu_on_one_line(page):
                problems[where].append("the navigation bar wraps at 1280 px")
        screenshot(page, f"{role or 'anonymous'}-last-page")
    found = {url: p for url, p in problems.items() if p}
    assert not found, "\n".join(f"{url}: {'; '.join(p)}" for url, p in found.items())
