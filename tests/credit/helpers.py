"""Shared set-up of the credit tests: inputs written straight through the models."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from credit.models import Assessment, CreditEvent, Indicator, RatingRun
from credit.services import indicators_ensure, rating_run_start


def indicator(code: str) -> Indicator:
    # Not Indicator.objects.get: a transactional test elsewhere may have flushed the rows
    # the data migration wrote.
    return indicators_ensure()[code]


def assess(year, compound, firm, code, role, score) -> Assessment:
    return Assessment.objects.create(
        year=year,
        compound=compound,
        firm=firm,
        indicator=indicator(code),
        assessor_role=role,
        score=Decimal(str(score)),
    )


def event(year, firm, kind, points=0, *, date=None, reason=None) -> CreditEvent:
    return CreditEvent.objects.create(
        year=year,
        firm=firm,
        kind=kind,
        points=Decimal(str(points)),
        date=date or dt.date(year, 6, 1),
        reason=reason or f"{kind} {points} {CreditEvent.objects.count()}",
    )


def rate(year: int, capture, user=None) -> RatingRun:
    """Start a run and let its chunks run (eagerly, in this process); the finished run."""
    with capture(execute=True):
        run = rating_run_start(user=user, year=year)
    run.refresh_from_db()
    return run
