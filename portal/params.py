"""The one way a view reads its query string when no form does: numbers, choices, text, flags
and the page number.

What the page's own links and controls cannot produce (letters where a number goes, a number
out of range, a code that is no choice, a search longer than its box) counts as not given: the
page answers as if the parameter were absent, the way a filter form drops an invalid field.
So an edited address gets the plain list, never a 500, and no value the database could refuse
(NUL, an integer past its range) ever reaches a query. (A NUL anywhere in a request is refused
with a 400 before any view: portal.middleware.RefuseNulMiddleware.)

Digits are ASCII digits: `str.isdigit()` says yes to "²", which `int()` then refuses, and
`int()` reads "٣" as 3; neither comes from the portal's own pages.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.functional import cached_property

# The largest key of an ordinary (32-bit) primary key column: larger is no row's id.
ID_MAX = 2_147_483_647
PAGE_MAX = 1_000_000
COUNT_CAP = 10_000  # rows a list counts before it says "more than" (CappedPaginator)
YEAR_MIN, YEAR_MAX = 2000, 2100
INTEGER = re.compile(r"-?[0-9]{1,18}")  # ASCII digits; 18 digits keep int() trivially cheap


def parse_int(text: str | None, *, minimum: int, maximum: int) -> int | None:
    """The whole number `text` spells in ASCII digits, if within [minimum, maximum]."""
    text = (text or "").strip()
    if not INTEGER.fullmatch(text):
        return None
    value = int(text)
    return value if minimum <= value <= maximum else None


def query_int(request: HttpRequest, name: str, *, minimum: int, maximum: int) -> int | None:
    return parse_int(request.GET.get(name), minimum=minimum, maximum=maximum)


def query_id(request: HttpRequest, name: str) -> int | None:
    """A row's id (a street, a community): a positive key within the column's range."""
    return query_int(request, name, minimum=1, maximum=ID_MAX)


def query_year(request: HttpRequest, name: str = "year") -> int | None:
    return query_int(request, name, minimum=YEAR_MIN, maximum=YEAR_MAX)


def query_choice(request: HttpRequest, name: str, choices: Iterable[str]) -> str:
    """One of `choices` (the codes, e.g. `Status.values`), or "" for anything else."""
    value = request.GET.get(name, "")
    return value if value in set(choices) else ""


def query_text(request: HttpRequest, name: str, *, max_length: int) -> str:
    """A search text, stripped; longer than its box allows: not given."""
    value = request.GET.get(name, "").strip()
    return value if len(value) <= max_length else ""


def query_flag(request: HttpRequest, name: str) -> bool:
    """A checkbox of a filter: on when given with any value (`?low=1`)."""
    return bool(request.GET.get(name))


class CappedPaginator(Paginator):
    """Counts the rows up to COUNT_CAP and no further, so that a list costs the same whether
    the table holds a city (1,500 compounds) or a country (600,000): past the cap the list
    says "more than 10,000" (`capped`), its last page is the cap's, and the search and the
    filters narrow it. Counting a country's rows, or paging to row 599,950, reads them all.

    `queryset`: what `object_list` shows when it is no queryset itself (a django-tables2
    table's rows), counted in its stead. `cap`: a list's own, when it needs fewer rows."""

    cap = COUNT_CAP

    def __init__(
        self,
        object_list,
        per_page,
        *,
        queryset: QuerySet | None = None,
        cap: int | None = None,
        **kwargs,
    ):
        super().__init__(object_list, per_page, **kwargs)
        self.rows = object_list if queryset is None else queryset
        if cap is not None:
            self.cap = cap

    @cached_property
    def _counted(self) -> int:
        """The rows up to cap + 1: one more than the cap says there are more."""
        if isinstance(self.rows, QuerySet):
            # SELECT COUNT(*) FROM (SELECT id ... LIMIT cap + 1): neither the order nor the
            # figures computed for the rows shown matter to a count.
            return self.rows.order_by().values("pk")[: self.cap + 1].count()
        return min(len(self.rows), self.cap + 1)

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.cap)

    @property
    def capped(self) -> bool:
        return self._counted > self.cap


def page_of(
    request: HttpRequest,
    items: Sequence,
    per_page: int,
    *,
    cap: int | None = None,
    ids_first: bool = False,
) -> Page:
    """The page `?page=` asks for: the first when the number is no number, the last when it
    lies past the end. `ids_first`: a queryset's page is chosen by its ids, read bare in the
    list's order, and then the rows of those ids are loaded with what they join and compute
    (a plain slice makes PostgreSQL join and compute every row an OFFSET skips; the
    registry's tables do the same through companies.tables.PageFirst)."""
    number = query_int(request, "page", minimum=1, maximum=PAGE_MAX) or 1
    if not (ids_first and isinstance(items, QuerySet)):
        return CappedPaginator(items, per_page, cap=cap).get_page(number)
    page = CappedPaginator(items.values_list("pk", flat=True), per_page, cap=cap).get_page(number)
    page.object_list = items.filter(pk__in=page.object_list)
    return page
