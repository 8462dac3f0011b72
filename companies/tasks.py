"""Periodic work of the registry: the daily coverage snapshot (beat: CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task
def coverage_snapshot_take(date: str | None = None) -> int:
    """Take the coverage snapshot of `date` (ISO; default today); returns the rows written.
    Safe to run twice: the rows are keyed by day and area."""
    day = dt.date.fromisoformat(date) if date else timezone.localdate()
    return services.coverage_snapshot_take(date=day)
