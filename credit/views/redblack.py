"""The public red and black list (no sign-in): the page of a year and of each published
version, and the frozen lists as JSON and CSV downloads. What an anonymous visitor gets is
kept in the shared cache and served before the view runs (portal/pagecache.py); the lists
are also cached per version, for the signed-in visitors."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from decimal import Decimal

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from portal import pagecache
from portal.exports import csv_response
from portal.ratelimits import rate_limit

from .. import listing, selectors

PUBLIC_CACHE_SECONDS = 24 * 3600
PROPOSED_CACHE_SECONDS = 300

# --- public pages (no sign-in) ---------------------------------------------------------------


def _versions_key(versions) -> str:
    """What the listings' dates depend on besides the version itself: every published version
    (a later year's publication ends a listing, a repair publishes a new version)."""
    pks = ",".join(str(v.pk) for v in versions)
    return hashlib.sha256(pks.encode()).hexdigest()[:32]


def _lists_html(version) -> str:
    """The rendered red and black lists of a version, each firm with why and until when,
    cached per version, set of published versions and language: a published version never
    changes, and a new version anywhere changes the key."""
    versions = selectors.published_versions()  # cached: read by the view just before
    key = f"credit:redblack:{version.pk}:{_versions_key(versions)}:{get_language()}"
    html = cache.get(key)
    if html is None:
        lists = listing.published_lists(version=version)
        html = render_to_string("credit/redblack_lists.html", {"lists": lists})
        cache.set(key, html, PUBLIC_CACHE_SECONDS)
    return html


def _proposals_html(publications) -> str:
    """The proposed lists of the years in publicity (公示), cached per what they depend on
    (the run, the period, the rule set's veto years, the objections filed and answered) for
    a few minutes: the reasons read the credit events of the year, which may be edited."""
    if not publications:
        return ""
    now = timezone.now()
    prints = "||".join(f"{p.fingerprint}|{p.period_end <= now}" for p in publications)
    digest = hashlib.sha256(prints.encode()).hexdigest()[:32]
    key = f"credit:redblack:proposed:{digest}:{get_language()}"
    html = cache.get(key)
    if html is None:
        proposals = [listing.proposal(publication) for publication in publications]
        html = render_to_string("credit/redblack_proposed.html", {"proposals": proposals})
        cache.set(key, html, PROPOSED_CACHE_SECONDS)
    return html


def _redblack(request: HttpRequest, *, year: int | None, number: int | None) -> HttpResponse:
    versions = selectors.published_versions()
    in_publicity = [] if number is not None else listing.publications_in_publicity()
    if year is None:
        # The current page: the years in publicity beside the newest published list.
        year = versions[0].publication.year if versions else None
        proposed = [p for p in in_publicity if year is None or p.year >= year]
    else:
        proposed = [p for p in in_publicity if p.year == year]
    of_year = [v for v in versions if v.publication.year == year]
    if year is not None and not of_year and not proposed:
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
        "years": sorted(
            {v.publication.year for v in versions} | {p.year for p in in_publicity},
            reverse=True,
        ),
        "proposed_years": [p.year for p in proposed],
        "lists_html": mark_safe(_lists_html(shown)) if shown else "",  # noqa: S308 — our template
        "proposed_html": mark_safe(_proposals_html(proposed)),  # noqa: S308 — our template
    }
    response = render(request, "credit/redblack_list.html", context)
    # What an anonymous visitor gets is kept (portal/pagecache.py) until the next publication,
    # repair or objection; the proposed lists change when their period ends.
    return pagecache.cacheable(response, seconds=_kept_seconds(proposed), rate_group="public_pages")


def _kept_seconds(proposed) -> int:
    if not proposed:
        return PUBLIC_CACHE_SECONDS
    now = timezone.now()
    ends = [(p.period_end - now).total_seconds() for p in proposed if p.period_end > now]
    return int(min([PROPOSED_CACHE_SECONDS, *ends]))


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
    return pagecache.cacheable(response, seconds=PUBLIC_CACHE_SECONDS, rate_group="public_files")


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
    response = csv_response(_csv_rows(data), filename=f"redblack-{year}-v{version.number}.csv")
    return pagecache.cacheable(response, seconds=PUBLIC_CACHE_SECONDS, rate_group="public_files")
