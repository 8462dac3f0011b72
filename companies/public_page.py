"""The stamp of a firm's public page (portal/pagecache.py): the page is kept for anonymous
visitors under a digest of everything it shows, read in one query, so that an edit of the
firm, of its compounds or of their community and street shows on the next request without any
invalidation. What the apps above add to the page (companies/public_record.py) they stamp in
the same query: a column of the firm's row each (`register_stamp_column`; credit: the firm's
events)."""

from __future__ import annotations

import hashlib
import weakref
from collections.abc import Callable
from functools import cache

from django.db import connection
from django.db.models import Expression

from portal import pagecache

from .models import Firm
from .validators import normalize_credit_code

URL_NAME = "companies:public_firm_detail"

# A subquery on the firm's row (OuterRef("pk")) that changes whenever what an app shows of the
# firm changes, apart from what invalidates the page cache (publications, repairs).
StampColumn = Callable[[], Expression]
_columns: list[StampColumn] = []

_CODE = "credit code"  # the query is compiled with this in place of a firm's credit code

# The statements prepared on each PostgreSQL connection (their names), see firm_page_stamp().
_prepared: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def register_stamp_column(column: StampColumn) -> None:
    if column not in _columns:
        _columns.append(column)
        _stamp_query.cache_clear()


@cache
def _stamp_query() -> tuple[str, tuple, int, str]:
    """The stamp's SQL and parameters, where the credit code goes among them, and a name for
    the statement: compiled by the ORM once per process, as building and compiling the query
    cost more than PostgreSQL takes to plan and run it."""
    columns = {f"stamp_{i}": column() for i, column in enumerate(_columns)}
    rows = (
        Firm.objects.filter(credit_code=_CODE)
        .annotate(**columns)
        .order_by("compounds__pk")
        .values_list(
            "pk",
            "credit_code",
            "name",
            "legal_representative",
            "address",
            "compounds__pk",
            "compounds__code",
            "compounds__name",
            "compounds__community__name",
            "compounds__community__street__name",
            *columns,
        )
    )
    sql, params = rows.query.sql_with_params()
    assert "%%" not in sql  # every %s is a parameter
    name = "firm_page_stamp_" + hashlib.sha256(sql.encode()).hexdigest()[:16]
    return sql, params, params.index(_CODE), name


def _prepare(cursor, sql: str, name: str, count: int) -> None:
    """On PostgreSQL, once per connection: planning the stamp's joins takes four times as long
    as running them (0.2 ms against 0.05), and a prepared statement is planned once."""
    prepared = _prepared.setdefault(connection.connection, set())
    if name not in prepared:
        for number in range(1, count + 1):
            sql = sql.replace("%s", f"${number}", 1)
        cursor.execute(f"PREPARE {name} AS {sql}")
        prepared.add(name)


def firm_page_stamp(*, credit_code: str) -> str | None:
    """What the page shows, as text; None for a firm that does not exist. One query, a row per
    compound the firm serves."""
    sql, params, at, name = _stamp_query()
    params = (*params[:at], normalize_credit_code(credit_code), *params[at + 1 :])
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _prepare(cursor, sql, name, len(params))
            cursor.execute(f"EXECUTE {name}({', '.join(['%s'] * len(params))})", params)
        else:
            cursor.execute(sql, params)
        rows = cursor.fetchall()
    return "\n".join(repr(row) for row in rows) or None


def register() -> None:
    pagecache.register("companies:public_firm_search", stamped=True)  # /firms/<code>/
    pagecache.register_stamp(URL_NAME, firm_page_stamp)
