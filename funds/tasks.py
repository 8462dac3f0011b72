"""Periodic fund work: escalate emergency steps past their deadline (safe to run twice)."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="funds.escalate_overdue_emergencies")
def escalate_overdue_emergencies() -> int:
    return services.emergency_escalate_overdue()
