"""The public red and black list (no sign-in): the page of a year and of each published
version, cached, and the frozen lists as JSON and CSV downloads."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from decimal import Decimal

from django.contrib import messages
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from portal.exports import csv_response
from portal.ratelimits import rate_limit

from .. import selectors

PUBLIC_CACHE_SECONDS = 24 * 3600

# --- public pages (no sign-in) ---------------------------------------------------------------


def _lists_html(version) -> str:
    """The rendered red and black lists of a version, cached per version and language: a
    published version never changes, so the cache needs no invalidation."""
    key = f"credit:redblack:{version.pk}:{get_language()}"
    html = cache.get(key)
    if html is None:
        data = selectors.version_content(pk=version.pk)
        html = render_to_string("credit/redblack_lists.html", {"data": data})
        cache.set(key, html, PUBLIC_CACHE_SECONDS)
    return html


def _redblack(request: HttpRequest, *, year: int | None, number: int | None) -> HttpResponse:
    versions = selectors.published_versions()
    if year is None and versions:
        year = versions[0].publication.year
    of_year = [v for v in versions if v.publication.year == year]
    if year is not None and not of_year:
        raise Http404(_("Nothing is published for this year."))
    shown = of_year[0] if of_year and number is None else None
    if number is not None:
        shown = next((v for v in of_year if v.number == number), None)
        if shown is None:
            raise Http404(_("No such version."))
    context = {
        "year": year,
        "version": shown,
        "is_latest": bool(of_year) and shown is of_year[0],
        "versions_of_year": of_year,
        "years": sorted({v.publication.year for v in versions}, reverse=True),
        "lists_html": mark_safe(_lists_html(shown)) if shown else "",  # noqa: S308 — our template
    }
    if request.user.is_authenticated or request.GET or len(messages.get_messages(request)):
        return render(request, "credit/redblack_list.html", context)
    return HttpResponse(_anonymous_page(request, versions, context))


# Stands for the CSRF token of the footer's language form in a cached page (alphanumeric: the
# csrf_token tag escapes it unchanged); each response gets its own token in its place.
_CSRF_PLACEHOLDER = "csrfplaceholder0f3c9a7e1d2b4c6a8e0f1d3b5c7a9e2f4"


def _anonymous_page(request: HttpRequest, versions, context: dict) -> str:
    """The whole page as an anonymous visitor without messages sees it, cached per set of
    published versions, language and address: rendering the layout costs more than the rest
    of the request. The CSRF token is put in per response."""
    pks = ",".join(str(v.pk) for v in versions)
    digest = hashlib.sha256(f"{pks}|{request.path}".encode()).hexdigest()[:32]
    key = f"credit:redblack:page:{digest}:{get_language()}"
    page = cache.get(key)
    if page is None:
        page = render_to_string(
            "credit/redblack_list.html", context | {"csrf_token": _CSRF_PLACEHOLDER}, request
        )
        cache.set(key, page, PUBLIC_CACHE_SECONDS)
    return page.replace(_CSRF_PLACEHOLDER, get_token(request))


@rate_limit("public_pages")
def redblack_current(request: HttpRequest) -> HttpResponse:
    return _redblack(request, year=None, number=None)


@rate_limit("public_pages")
def redblack_year(request: HttpRequest, year: int) -> HttpResponse:
    return _redblack(request, year=year, number=None)


@rate_limit("public_pages")
def redblack_version(request: HttpRequest, year: int, number: int) -> HttpResponse:
    return _redblack(request, year=year, number=number)


def _version_of(year: int, number: int | None):
    of_year = [v for v in selectors.published_versions() if v.publication.year == year]
    if number is not None:
        of_year = [v for v in of_year if v.number == number]
    if not of_year:
        raise Http404(_("Nothing is published for this year."))
    return of_year[0]


@rate_limit("public_files")
def redblack_json(request: HttpRequest, year: int, number: int | None = None) -> HttpResponse:
    """The frozen content, byte for byte: its SHA-256 is the digest shown on the page."""
    version = _version_of(year, number)
    body = selectors.version_content_text(pk=version.pk).encode("utf-8")
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="redblack-{year}-v{version.number}.json"'
    response["X-Content-SHA256"] = version.digest
    return response


CSV_COLUMNS = ("list", "rank", "credit_code", "name", "score", "grade", "vetoed", "compounds")


def _csv_rows(data: dict) -> Iterator[Sequence]:
    yield CSV_COLUMNS
    for list_name, key in (("red", "red_list"), ("black", "black_list")):
        for row in data[key]:
            yield [
                list_name,
                row["rank"],
                row["credit_code"],
                row["name"],
                Decimal(row["score"]) if row["score"] else None,  # a number, written as frozen
                row["grade"],
                row["vetoed"],
                row["compounds"],
            ]


@rate_limit("public_files")
def redblack_csv(request: HttpRequest, year: int, number: int | None = None) -> HttpResponse:
    """The same lists as CSV, derived from the frozen JSON: the same file for as long as the
    version exists (the JSON, whose digest the page shows, keeps the names as stored)."""
    version = _version_of(year, number)
    data = selectors.version_content(pk=version.pk)
    return csv_response(_csv_rows(data), filename=f"redblack-{year}-v{version.number}.csv")
