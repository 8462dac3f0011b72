"""Periodic work of the proposals app (schedule it daily in CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from .reminders import reminders_send


@shared_task
def send_due_reminders() -> int:
    """E-mail each lead division its overdue and near-due proposals (re-running resends)."""
    return reminders_send(today=timezone.localdate())
