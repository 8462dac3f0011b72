"""Writes of credit events: bonuses, deductions and vetoes of a firm's year."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from companies.models import Firm
from portal.models import User
from portal.services import record_save

from ..models import CreditEvent

# --- credit events ---------------------------------------------------------------------------


@transaction.atomic
def credit_event_create(
    *,
    user: User | None,
    year: int,
    firm: Firm,
    kind: str,
    points: Decimal | None,
    date: dt.date,
    reason: str,
    evidence=None,
) -> CreditEvent:
    event = CreditEvent(
        year=year,
        firm=firm,
        kind=kind,
        points=Decimal("0") if points is None else points,
        date=date,
        reason=(reason or "").strip(),
        created_by=user,
    )
    if evidence:
        event.evidence = evidence
    return record_save(event, user=user)


EVENT_FIELDS = ("points", "reason", "date", "kind", "evidence")


@transaction.atomic
def credit_event_update(
    *, user: User | None, event: CreditEvent, change_reason: str = "", **fields
) -> CreditEvent:
    event = CreditEvent.objects.select_for_update().get(pk=event.pk)
    for name, value in fields.items():
        if name not in EVENT_FIELDS:
            raise TypeError(f"credit_event_update() got an unexpected field {name!r}")
        setattr(event, name, value)
    return record_save(event, user=user, reason=change_reason)


@transaction.atomic
def credit_event_delete(*, user: User | None, event: CreditEvent, change_reason: str = "") -> None:
    event._history_user = user
    if change_reason:
        event._change_reason = change_reason
    event.delete()
