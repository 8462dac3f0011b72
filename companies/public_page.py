"""The stamp of a firm's public page (portal/pagecache.py): the page is kept for anonymous
visitors under a digest of everything of the registry it shows, read in one query, so that an
edit of the firm, of its compounds or of their community and street shows on the next request
without any invalidation. The apps above add their own stamps (credit: the firm's events)."""

from __future__ import annotations

from portal import pagecache

from .models import Firm
from .validators import normalize_credit_code

URL_NAME = "companies:public_firm_detail"


def firm_page_stamp(*, credit_code: str) -> str | None:
    """What the page shows of the registry, as text; None for a firm that does not exist. One
    query, a row per compound the firm serves."""
    rows = (
        Firm.objects.filter(credit_code=normalize_credit_code(credit_code))
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
        )
    )
    return "\n".join(repr(row) for row in rows) or None


def register() -> None:
    pagecache.register("companies:public_firm_search", stamped=True)  # /firms/<code>/
    pagecache.register_stamp(URL_NAME, firm_page_stamp)
