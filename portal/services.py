"""Writes shared by every app, and the portal's own: user accounts."""

from __future__ import annotations

from django.db import models, transaction
from simple_history.utils import update_change_reason  # noqa: F401  (re-exported for apps)

from .models import User


def record_save(instance: models.Model, *, user: User | None, reason: str = "") -> models.Model:
    """Validate and save one row, recording who changed it (and why) in its history."""
    instance.full_clean()
    instance._history_user = user
    if reason:
        instance._change_reason = reason
    instance.save()
    return instance


@transaction.atomic
def user_create(*, actor: User, password: str, **fields) -> User:
    user = User(**fields)
    user.set_password(password)
    return record_save(user, user=actor)


@transaction.atomic
def user_update(*, actor: User, user: User, **fields) -> User:
    for name, value in fields.items():
        setattr(user, name, value)
    return record_save(user, user=actor)


@transaction.atomic
def user_set_password(*, actor: User, user: User, password: str) -> User:
    user.set_password(password)
    return record_save(user, user=actor, reason="password reset")


@transaction.atomic
def coverage_snapshot_take(*, date) -> int:
    """Record `date`'s counts behind the three coverage rates for the city, each district and
    each street; taking the same day again updates its rows. Returns the rows written."""
    # Imported here: the selectors read the companies app, whose services import this module.
    from django.utils import timezone

    from .models import CoverageSnapshot, District, Street
    from .selectors import coverage_counts_by_street

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
