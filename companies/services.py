"""Writes to the registry: every change of a firm, compound or management goes here."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal.models import User
from portal.services import record_save

from .models import Compound, Firm, Management
from .validators import normalize_credit_code


@transaction.atomic
def firm_create(*, user: User | None, credit_code: str, name: str, **fields) -> Firm:
    firm = Firm(credit_code=normalize_credit_code(credit_code), name=name.strip(), **fields)
    return record_save(firm, user=user)


@transaction.atomic
def firm_update(*, user: User | None, firm: Firm, **fields) -> Firm:
    for name, value in fields.items():
        setattr(firm, name, value)
    return record_save(firm, user=user)


@transaction.atomic
def compound_create(
    *, user: User | None, firm: Firm | None = None, since: dt.date | None = None, **fields
) -> Compound:
    compound = record_save(Compound(**fields), user=user)
    if firm is not None:
        compound = compound_change_firm(
            user=user, compound=compound, firm=firm, since=since or dt.date.today()
        )
    return compound


@transaction.atomic
def compound_update(*, user: User | None, compound: Compound, **fields) -> Compound:
    fields.pop("firm", None)  # the managing firm changes only through compound_change_firm
    for name, value in fields.items():
        setattr(compound, name, value)
    return record_save(compound, user=user)


@transaction.atomic
def compound_change_firm(
    *, user: User | None, compound: Compound, firm: Firm | None, since: dt.date, note: str = ""
) -> Compound:
    """Close the current management period and open the new firm's (None: no firm)."""
    # Lock the compound: two clerks changing its firm at once would open two periods.
    compound = Compound.objects.select_for_update().get(pk=compound.pk)
    if firm is not None and compound.firm_id == firm.pk:
        return compound
    current = Management.objects.filter(compound=compound, end_date__isnull=True).first()
    if current is not None:
        if since < current.start_date:
            raise ValidationError(
                {
                    "since": _("The new firm cannot start before the current one (%(date)s).")
                    % {"date": current.start_date.isoformat()}
                }
            )
        current.end_date = since
        record_save(current, user=user)
    if firm is not None:
        record_save(
            Management(compound=compound, firm=firm, start_date=since, note=note), user=user
        )
    compound.firm = firm
    return record_save(compound, user=user)


@transaction.atomic
def compound_bulk_create(
    *, user: User | None, compounds: list[Compound], since: dt.date
) -> list[Compound]:
    """Create many new compounds at once (imports), each with its firm's open management period.

    Validated like `compound_create` but without queries per row: fields and `clean()` in
    memory (community and firm are saved instances), the unique code and the constraints
    by the database. One history entry per compound and per period, in `user`'s name.
    """
    from simple_history.utils import bulk_create_with_history

    for compound in compounds:
        compound.full_clean(
            exclude=["community", "firm"], validate_unique=False, validate_constraints=False
        )
    created = bulk_create_with_history(compounds, Compound, batch_size=500, default_user=user)
    periods = [
        Management(compound=compound, firm=compound.firm, start_date=since)
        for compound in created
        if compound.firm is not None
    ]
    bulk_create_with_history(periods, Management, batch_size=500, default_user=user)
    return created


@transaction.atomic
def compound_bulk_update(
    *, user: User | None, compounds: list[Compound], fields: list[str]
) -> None:
    """Save the given fields of many compounds at once (imports), validated in memory as in
    `compound_bulk_create`, with one history entry each. The firm is not among the fields:
    it changes only through `compound_change_firm`."""
    from django.utils import timezone
    from simple_history.utils import bulk_update_with_history

    fields = [name for name in fields if name not in {"firm", "updated_at"}]
    now = timezone.now()
    for compound in compounds:
        compound.full_clean(
            exclude=["community", "firm"], validate_unique=False, validate_constraints=False
        )
        compound.updated_at = now
    bulk_update_with_history(
        compounds, Compound, [*fields, "updated_at"], batch_size=500, default_user=user
    )
