"""Writes to the registry: every change of a firm, compound or management goes here."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import CoverageSnapshot, District, Street, User
from portal.services import record_save

from .coverage import coverage_counts_by_street
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


@transaction.atomic
def coverage_snapshot_take(*, date) -> int:
    """Record `date`'s counts behind the three coverage rates for the city, each district and
    each street; taking the same day again updates its rows. Returns the rows written."""
    Scope = CoverageSnapshot.Scope
    fields = ("compounds", "households", "managed", "party_orgs", "owners_committees", "red_heart")
    by_street = coverage_counts_by_street()
    wanted: dict[tuple, dict] = {(Scope.CITY, None, None): dict.fromkeys(fields, 0)}
    for district_id in District.objects.values_list("pk", flat=True):
        wanted[(Scope.DISTRICT, district_id, None)] = dict.fromkeys(fields, 0)
    for street_id, district_id in Street.objects.values_list("pk", "district_id"):
        counts = {name: by_street.get(street_id, {}).get(name, 0) for name in fields}
        wanted[(Scope.STREET, district_id, street_id)] = counts
        for key in ((Scope.DISTRICT, district_id, None), (Scope.CITY, None, None)):
            for name in fields:
                wanted[key][name] += counts[name]

    # Lock the day's rows: a second run at the same time waits, then updates them. (Two
    # first runs of a day would both insert; the unique constraints make one of them fail.)
    existing = {
        (s.scope, s.district_id, s.street_id): s
        for s in CoverageSnapshot.objects.select_for_update().filter(date=date)
    }
    created, updated = [], []
    for (scope, district_id, street_id), counts in wanted.items():
        snapshot = existing.get((scope, district_id, street_id))
        if snapshot is None:
            snapshot = CoverageSnapshot(
                date=date, scope=scope, district_id=district_id, street_id=street_id
            )
            created.append(snapshot)
        else:
            snapshot.taken_at = timezone.now()  # bulk_update skips auto_now
            updated.append(snapshot)
        for name, value in counts.items():
            setattr(snapshot, name, value)
    CoverageSnapshot.objects.bulk_create(created, batch_size=500)
    CoverageSnapshot.objects.bulk_update(updated, [*fields, "taken_at"], batch_size=500)
    return len(created) + len(updated)


@transaction.atomic
def compound_set_red_heart_year(
    *, user: User | None, compound: Compound, year: int, reason: str = ""
) -> Compound:
    """Mark the compound a 红心物业 demonstration project of `year` (its latest year is kept:
    an approval of an earlier year does not move it back). History records who and why."""
    # Lock: two approvals of the same compound at once.
    compound = Compound.objects.select_for_update(of=("self",)).get(pk=compound.pk)
    if compound.red_heart_year is not None and compound.red_heart_year >= year:
        return compound
    compound.red_heart_year = year
    return record_save(compound, user=user, reason=reason)


@transaction.atomic
def firm_bulk_create(*, user: User | None, firms: list[Firm]) -> list[Firm]:
    """Create many new firms at once (imports), validated like `firm_create` but without a
    query per row: fields in memory, the unique credit code by the database. One history
    entry per firm, in `user`'s name."""
    from simple_history.utils import bulk_create_with_history

    for firm in firms:
        firm.full_clean(validate_unique=False, validate_constraints=False)
    return bulk_create_with_history(firms, Firm, batch_size=1000, default_user=user)


@transaction.atomic
def firm_bulk_update(*, user: User | None, firms: list[Firm], fields: list[str]) -> None:
    """Save the given fields of many firms at once (imports), validated in memory as in
    `firm_bulk_create`, with one history entry each."""
    from simple_history.utils import bulk_update_with_history

    now = timezone.now()
    for firm in firms:
        firm.full_clean(validate_unique=False, validate_constraints=False)
        firm.updated_at = now
    fields = [name for name in fields if name != "updated_at"]
    bulk_update_with_history(
        firms, Firm, [*fields, "updated_at"], batch_size=500, default_user=user
    )
