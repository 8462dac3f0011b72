"""Notices to the owners, with each household's share of the cost."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from companies.models import Compound
from portal.models import User
from portal.services import record_save

from ..models import (
    CENT,
    EmergencyApplication,
    Entry,
    FundNotice,
    Household,
    OrdinaryApplication,
    Posting,
)


def _shares_snapshot(postings: Iterable[Posting]) -> list[dict]:
    """Each household's total debit over these postings, with the owner's name masked."""
    totals = (
        Entry.objects.filter(posting__in=list(postings))
        .values("household")
        .annotate(total=Sum("amount"))
        .order_by("household")
    )
    by_id = {t["household"]: -t["total"] for t in totals}
    households = Household.objects.filter(pk__in=by_id).order_by("building", "unit", "room", "pk")
    return [
        {
            "building": h.building,
            "unit": h.unit,
            "room": h.room,
            "owner": h.masked_owner,
            "floor_area": str(h.floor_area),
            "share": str(by_id[h.pk].quantize(CENT)),
        }
        for h in households
    ]


def _notice(
    *,
    user: User | None,
    compound: Compound,
    kind: str,
    title: str,
    body: str,
    days: int,
    start: dt.date | None = None,
    amount: Decimal | None = None,
    shares: list[dict] | None = None,
    emergency: EmergencyApplication | None = None,
    ordinary: OrdinaryApplication | None = None,
) -> FundNotice:
    start = start or timezone.localdate()
    return record_save(
        FundNotice(
            compound=compound,
            kind=kind,
            title=title[:160],
            body=body,
            amount=amount,
            shares=shares or [],
            publicity_start=start,
            # `days` calendar days, the first and the last included.
            publicity_end=start + dt.timedelta(days=days - 1),
            emergency=emergency,
            ordinary=ordinary,
            created_by=user,
        ),
        user=user,
    )
