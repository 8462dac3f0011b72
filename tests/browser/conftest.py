"""Browser journeys: Playwright's sync API driving Debian's Chromium against the live server.

Chromium comes from Debian (`make test` installs it when it can); Playwright's own browser
download is never used. Without /usr/bin/chromium every browser test is skipped with the
reason. Screenshots go to artifacts/browser/ (gitignored): the ones a test asks for, and one
of every failing test's page.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings

from tests.factories import PASSWORD

# Playwright's sync API keeps an event loop in this thread; Django would refuse its ORM calls
# (made by factories and fixtures in the same thread) as "async unsafe" without this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "1")

CHROMIUM = Path(os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",  # we run as root in CI
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # The machines have no network but the loopback: without these Chromium keeps
    # trying to reach Google's hosts.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(settings.BASE_DIR) / "artifacts" / "browser"
TIMEOUT_MS = 15_000


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-")[:150]


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    # Keep each phase's report on the test item, so the page fixture knows whether it failed.
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


# One Playwright and one Chromium per test process. Journeys elsewhere in tests/ import these
# fixtures into their modules, which makes pytest build them a second time; a second
# sync_playwright() in the same process would fail ("Sync API inside the asyncio loop").
_shared: dict = {}


def _shared_browser():
    if "browser" not in _shared:
        from playwright.sync_api import sync_playwright

        playwright = sync_playwright().start()
        _shared["playwright"] = playwright
        _shared["browser"] = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
    return _shared["browser"]


def _stop_shared_browser() -> None:
    browser, playwright = _shared.pop("browser", None), _shared.pop("playwright", None)
    if browser is not None:
        browser.close()
    if playwright is not None:
        playwright.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator:
    if not CHROMIUM.exists():
        pytest.skip(
            f"{CHROMIUM} is missing: install Debian's chromium and fonts-noto-cjk "
            "(make test does it when run as root) to run the browser tests"
        )
    pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
    yield _shared_browser()
    # Session teardown: no test is left that needs it.
    _stop_shared_browser()


@pytest.fixture
def page(browser, live_server, request) -> Iterator:
    """A fresh browser context (no cookies) whose relative URLs point at the live server."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="zh-CN",  # what a bureau clerk's browser sends: Accept-Language zh-CN
        viewport={"width": 1280, "height": 900},
        reduced_motion="reduce",  # pages that honour it skip animations: steadier screenshots
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        # A failed screenshot must not hide the test's own failure.
        with contextlib.suppress(Exception):
            page.screenshot(path=ARTIFACTS / f"FAILED-{_slug(request.node.nodeid)}.png")
    context.close()


@pytest.fixture
def screenshot(request) -> Callable:
    """`screenshot(page, "dashboard")` saves artifacts/browser/<test>-dashboard.png."""

    def take(page, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{_slug(request.node.name)}-{_slug(name)}.png"
        page.screenshot(path=path, full_page=True)
        return path

    return take


def sign_in(page, username: str, password: str = PASSWORD) -> None:
    """Sign in through the real login form, as a person would, and fail loudly if refused."""
    page.goto("/accounts/login/")
    form = page.locator("#main form[method=post]")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    if "/accounts/login/" in page.url:
        errors = page.locator(".alert, .invalid-feedback, .errorlist").all_inner_texts()
        raise AssertionError(f"sign-in as {username!r} was refused: {errors}")
    if "/accounts/mfa/" in page.url:
        _second_factor(page, username)


def _second_factor(page, username: str) -> None:
    """Type the code the account's authenticator shows now (enrolling it first where the
    portal asks a bureau clerk to), as a person with the phone would."""
    from django.contrib.auth import get_user_model

    from tests.signin import sign_in_code

    user = get_user_model().objects.get(username=username)
    form = page.locator("#main form.mfa-form, #main form[method=post]").first
    form.locator("input[name=code]").fill(sign_in_code(user))
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    if "/accounts/mfa/" in page.url and page.locator("#recovery-codes").count():
        with page.expect_navigation():
            page.locator("#main a.btn-primary").click()  # "I have kept them: continue"
    if "/accounts/mfa/" in page.url:
        raise AssertionError(f"the second factor of {username!r} was refused")


# The journeys of the other apps use those apps' fixtures too.
from tests.funds.conftest import account_a  # noqa: E402, F401
