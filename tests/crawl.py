"""A visitor who clicks every link: the crawl behind tests/test_crawl.py and the browser's.

`crawl(client, start)` follows every same-site link the pages show (GET only, bounded per
route) and returns what it met: the pages, and the problems a person would have met there.
A problem is a 5xx, a 404 or 403 reached from a link, an English error page, or a raw code
(a stored value such as `street_review`) where a label belongs: in a table cell, a badge or
a history line.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.apps import apps
from django.urls import Resolver404, resolve

from portal import history

SKIPPED_PREFIXES = ("/static/", "/admin/", "/accounts/logout", "/i18n/")
PER_ROUTE = 4  # distinct addresses per route name: enough to see each page's kinds of row
PER_ROUTE_QUERIES = 3  # of which with a query string (filters, sorting, page 2)
MAX_PAGES = 600
ENGLISH_ERRORS = (
    "Not Found",
    "Forbidden",
    "Server Error",
    "Bad Request",
    "CSRF verification failed",
    "Page not found at",
)
WORD = re.compile(r"[a-z][a-z_]*[a-z]")
# A cell, badge or history line in English only: a label that missed its translation.
ENGLISH_ONLY = re.compile(r"^[A-Za-z][A-Za-z ,.'()/:-]*[a-z]{3}[A-Za-z ,.'()/:-]*$")


def raw_codes() -> set[str]:
    """Every stored code that has a label of its own: the choices of every model's fields and
    the reasons the services record. None of them should reach a page as such."""
    codes: set[str] = set()
    for model in apps.get_models():
        for model_field in model._meta.get_fields():
            for value, label in getattr(model_field, "flatchoices", None) or []:
                if isinstance(value, str) and value != str(label) and WORD.fullmatch(value):
                    codes.add(value)
    for reasons, states in history.registered().values():
        codes.update(code for code in {*reasons, *states} if WORD.fullmatch(code.replace(" ", "_")))
    codes.update(history.COMMON_REASONS)
    return codes


class PageText(HTMLParser):
    """The links of a page and the texts of its cells, badges and history lines."""

    WATCHED_TAGS = {"td", "th", "dd"}
    WATCHED_CLASSES = {"badge", "history-entry"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.texts: list[str] = []
        self.tables = 0
        self.tables_with_headers = 0
        self._stack: list[tuple[str, bool]] = []
        self._buffers: list[list[str]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag == "table":
            self.tables += 1
        if tag == "th" and any(t == "table" for t, _w in self._stack):
            # Counted once per table: the first header cell met inside it.
            open_tables = sum(1 for t, _w in self._stack if t == "table")
            if self.tables_with_headers < self.tables and open_tables:
                self.tables_with_headers += 1
        if tag in {"br", "img", "input", "meta", "link", "hr", "col", "source", "wbr"}:
            return
        classes = set((attrs.get("class") or "").split())
        watched = tag in self.WATCHED_TAGS or bool(classes & self.WATCHED_CLASSES)
        self._stack.append((tag, watched))
        if watched:
            self._buffers.append([])

    def handle_endtag(self, tag):
        while self._stack:
            open_tag, watched = self._stack.pop()
            if watched:
                self.texts.append(" ".join("".join(self._buffers.pop()).split()))
            if open_tag == tag:
                break

    def handle_data(self, data):
        # Column names of a spreadsheet, shown as <code>, are meant to be read as they are.
        if any(tag in {"code", "kbd", "samp"} for tag, _watched in self._stack):
            return
        for buffer in self._buffers:
            buffer.append(data)


def text_problems(page: PageText | str, codes: set[str] | None = None) -> list[str]:
    """Raw codes and English-only texts in a page's cells, badges, `dd`s and history lines."""
    if isinstance(page, str):
        html, page = page, PageText()
        page.feed(html)
    codes = raw_codes() if codes is None else codes
    problems = []
    if page.tables_with_headers < page.tables:
        problems.append(f"{page.tables - page.tables_with_headers} table(s) without headers")
    for text in page.texts:
        words = set(WORD.findall(text))
        raw = sorted(c for c in codes if (c in text if " " in c else c in words))
        if raw:
            problems.append(f"raw code {raw} in {text[:80]!r}")
        elif ENGLISH_ONLY.match(text):
            problems.append(f"English text {text[:80]!r}")
    return problems


@dataclass
class CrawlResult:
    pages: list[str] = field(default_factory=list)
    html_pages: list[str] = field(default_factory=list)  # the pages a browser would show
    problems: list[str] = field(default_factory=list)
    routes: Counter = field(default_factory=Counter)


def _route(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def crawl(client, start: list[str], *, codes: set[str] | None = None) -> CrawlResult:
    """Follow the links from `start` as `client`'s user; see the module's docstring."""
    codes = raw_codes() if codes is None else codes
    result = CrawlResult()
    queries: Counter = Counter()
    seen: set[str] = set()
    queue: deque[tuple[str, str]] = deque((url, "(start)") for url in start)
    while queue and len(result.pages) < MAX_PAGES:
        url, source = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        route = _route(urlsplit(url).path)
        if route is None:
            result.problems.append(f"{url} (linked from {source}): no such page")
            continue
        has_query = bool(urlsplit(url).query)
        if result.routes[route] >= PER_ROUTE or (has_query and queries[route] >= PER_ROUTE_QUERIES):
            continue
        result.routes[route] += 1
        queries[route] += has_query
        try:
            response = client.get(url)
        except Exception as exc:  # noqa: BLE001 — the test client re-raises a view's error
            result.problems.append(f"{url} (linked from {source}): 500 {exc!r}")
            continue
        result.pages.append(url)
        status = response.status_code
        if status >= 400:
            result.problems.append(f"{url} (linked from {source}): {status}")
        if status in {301, 302} and response["Location"].startswith("/accounts/login/"):
            result.problems.append(f"{url} (linked from {source}): sends to the sign-in page")
        content_type = response.get("Content-Type", "")
        if "text/html" not in content_type:
            continue
        if status == 200:
            result.html_pages.append(url)
        html = response.content.decode()
        for phrase in ENGLISH_ERRORS:
            if f"<title>{phrase}" in html or f"<h1>{phrase}" in html:
                result.problems.append(f"{url}: an English error page ({phrase})")
        page = PageText()
        page.feed(html)
        result.problems.extend(f"{url}: {problem}" for problem in text_problems(page, codes))
        if status >= 300:
            continue
        for href in page.links:
            target = urljoin(url, href.strip())
            parts = urlsplit(target)
            if parts.scheme not in {"http", ""} or parts.netloc not in {"", "testserver"}:
                continue
            if parts.path.startswith(SKIPPED_PREFIXES) or href.startswith("#"):
                continue
            address = parts.path + (f"?{parts.query}" if parts.query else "")
            if address not in seen:
                queue.append((address, url))
    return result
