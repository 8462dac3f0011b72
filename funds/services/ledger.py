"""The ledger: accounts, households and every money movement on them.

Money rules: amounts are Decimal yuan with two decimals; the ledger is append-only
(mistakes are reversed by a counter-posting); a household's `balance` column changes only
in `_post`, under a lock of the household rows, and always equals the sum of its entries;
no balance goes below zero (checked here with a message naming the household, and by a
database constraint as the last line of defence).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from companies.models import Compound
from portal.models import User
from portal.services import record_save

from ..choices import EntryKind, Scope
from ..models import (
    EmergencyApplication,
    Entry,
    FundAccount,
    Household,
    OrdinaryApplication,
    Posting,
)
from ..sharing import split_by_weight
from .common import (
    _require_bureau,
    _require_bureau_or_system,
    _scope_households,
    clean_money,
    top_up_ratio,
)


def _post(
    *,
    user: User | None,
    account: FundAccount,
    kind: str,
    movements: dict[int, Decimal],
    memo: str = "",
    entry_kind: str | None = None,
    reverses: Posting | None = None,
    emergency: EmergencyApplication | None = None,
    ordinary: OrdinaryApplication | None = None,
) -> Posting:
    """Move money on households (id -> signed amount) as one posting; refuse any overdraft.

    Must run inside a transaction. Locks the household rows in primary-key order (the same
    order for every posting, so two postings never deadlock): without the lock, two
    disbursements reading the same balance at once could both pass the check and overdraw.
    """
    movements = {hid: amt for hid, amt in movements.items() if amt != 0}
    if not movements:
        raise ValidationError(_("Nothing to post: every amount is zero."), code="empty")
    households = {
        h.pk: h
        for h in Household.objects.select_for_update()
        .filter(pk__in=movements, account=account)
        .order_by("pk")
    }
    if len(households) != len(movements):
        raise ValidationError(_("A household does not belong to this account."), code="account")

    overdrawn = [
        (households[hid], amt)
        for hid, amt in movements.items()
        if households[hid].balance + amt < 0
    ]
    if overdrawn:
        household, amt = sorted(overdrawn, key=lambda item: item[0].pk)[0]
        raise ValidationError(
            _(
                "%(household)s (%(owner)s) would be overdrawn: its share is %(share)s yuan but "
                "its balance is %(balance)s yuan. %(more)s"
            )
            % {
                "household": household.label,
                "owner": household.masked_owner,
                "share": -amt,
                "balance": household.balance,
                "more": (
                    _("%(n)s more households would be overdrawn too.") % {"n": len(overdrawn) - 1}
                    if len(overdrawn) > 1
                    else ""
                ),
            },
            code="overdraft",
        )

    now = timezone.now()
    posting = Posting(
        account=account,
        kind=kind,
        amount=sum((abs(a) for a in movements.values()), Decimal(0)),
        memo=memo[:200],
        reverses=reverses,
        emergency=emergency,
        ordinary=ordinary,
        created_at=now,
        created_by=user,
    )
    posting.full_clean()
    posting.save()
    entries = []
    for hid in sorted(movements):
        household = households[hid]
        household.balance = household.balance + movements[hid]
        entries.append(
            Entry(
                posting=posting,
                household=household,
                kind=entry_kind or kind,
                amount=movements[hid],
                balance_after=household.balance,
                created_at=now,
            )
        )
    Entry.objects.bulk_create(entries)
    bulk_update_with_history(
        list(households.values()),
        Household,
        ["balance"],
        default_user=user,
        default_change_reason=f"{kind} #{posting.pk}",
        default_date=now,
    )
    return posting


@transaction.atomic
def account_open(
    *, user: User, compound: Compound, opened_on: dt.date | None = None
) -> FundAccount:
    _require_bureau_or_system(user)
    if FundAccount.objects.filter(compound=compound).exists():
        raise ValidationError(
            _("%(compound)s already has a fund account.") % {"compound": compound}, code="exists"
        )
    return record_save(
        FundAccount(compound=compound, opened_on=opened_on or timezone.localdate()), user=user
    )


@transaction.atomic
def household_add(
    *,
    user: User,
    account: FundAccount,
    building: str,
    room: str,
    floor_area: Decimal,
    owner_name: str,
    unit: str = "",
    initial_deposit: Decimal = Decimal("0.00"),
) -> Household:
    """Register a household sub-account; its initial deposit is posted as a deposit."""
    _require_bureau_or_system(user)
    deposit = clean_money(initial_deposit, field="initial_deposit", allow_zero=True)
    household = record_save(
        Household(
            account=account,
            building=building.strip(),
            unit=unit.strip(),
            room=room.strip(),
            floor_area=floor_area,
            owner_name=owner_name.strip(),
            initial_deposit=deposit,
        ),
        user=user,
    )
    if deposit > 0:
        _post(
            user=user,
            account=account,
            kind=EntryKind.DEPOSIT,
            movements={household.pk: deposit},
            memo=_("Initial deposit"),
        )
        household.refresh_from_db()
    return household


@transaction.atomic
def household_update(*, user: User | None, household: Household, **fields) -> Household:
    """Correct a household's floor area or owner; money moves only through postings."""
    _require_bureau_or_system(user)
    allowed = {"floor_area", "owner_name"}
    if set(fields) - allowed:
        raise ValidationError(
            _("Only the floor area and the owner can be corrected here; money is posted."),
            code="not_allowed",
        )
    # Locked: a posting running at the same time saves the balance of this row.
    household = Household.objects.select_for_update().get(pk=household.pk)
    for name, value in fields.items():
        setattr(household, name, value.strip() if isinstance(value, str) else value)
    return record_save(household, user=user, reason="corrected")


@transaction.atomic
def deposit_post(*, user: User, household: Household, amount, memo: str = "") -> Posting:
    """A deposit or top-up (交存/续筹) into one household's sub-account."""
    _require_bureau(user)
    amount = clean_money(amount)
    return _post(
        user=user,
        account=household.account,
        kind=EntryKind.DEPOSIT,
        movements={household.pk: amount},
        memo=memo,
    )


@transaction.atomic
def refund_post(*, user: User, household: Household, amount, memo: str = "") -> Posting:
    """Money paid back to an owner (退还), e.g. when the house is demolished."""
    _require_bureau(user)
    amount = clean_money(amount)
    return _post(
        user=user,
        account=household.account,
        kind=EntryKind.REFUND,
        movements={household.pk: -amount},
        memo=memo,
    )


@transaction.atomic
def interest_allocate(*, user: User, account: FundAccount, amount, memo: str = "") -> Posting:
    """Interest (增值) shared pro rata by balance; the leftover cents go deterministically."""
    _require_bureau(user)
    amount = clean_money(amount)
    # Lock before reading the balances the split is based on.
    households = list(
        Household.objects.select_for_update()
        .filter(account=account, balance__gt=0)
        .order_by("pk")
        .values_list("pk", "balance")
    )
    if not households:
        raise ValidationError(
            _("No household of this account has a balance to earn interest."), code="empty"
        )
    shares = split_by_weight(amount, households)
    return _post(
        user=user,
        account=account,
        kind=EntryKind.INTEREST,
        movements=shares,
        memo=memo or _("Interest"),
    )


def cost_shares(
    *, account: FundAccount, amount: Decimal, scope: str, building: str = "", unit: str = ""
) -> dict[int, Decimal]:
    """Each household's share (id -> yuan) of a cost, by floor area over the scope."""
    households = _scope_households(account, scope=scope, building=building, unit=unit)
    weights = list(households.order_by("pk").values_list("pk", "floor_area"))
    return split_by_weight(amount, weights)


@transaction.atomic
def disbursement_post(
    *,
    user: User | None,
    account: FundAccount,
    amount,
    scope: str,
    building: str = "",
    unit: str = "",
    memo: str = "",
    emergency: EmergencyApplication | None = None,
    ordinary: OrdinaryApplication | None = None,
) -> Posting:
    """Pay a repair (支出): its cost shared by floor area among the scope's households."""
    amount = clean_money(amount)
    if scope not in Scope.values:
        raise ValidationError({"scope": _("Choose a valid scope.")})
    shares = cost_shares(account=account, amount=amount, scope=scope, building=building, unit=unit)
    return _post(
        user=user,
        account=account,
        kind=EntryKind.DISBURSEMENT,
        movements={hid: -share for hid, share in shares.items()},
        memo=memo,
        emergency=emergency,
        ordinary=ordinary,
    )


@transaction.atomic
def posting_reverse(*, user: User, posting: Posting, memo: str = "") -> Posting:
    """Undo a mistaken posting with a counter-posting; the original stays in the ledger."""
    _require_bureau(user)
    # Lock the original: two clerks reversing it at once would reverse it twice.
    posting = Posting.objects.select_for_update().get(pk=posting.pk)
    if posting.kind == EntryKind.REVERSAL:
        raise ValidationError(_("A reversal cannot itself be reversed."), code="reversal")
    if Posting.objects.filter(reverses=posting).exists():
        raise ValidationError(_("This posting has already been reversed."), code="reversed")
    movements = {e.household_id: -e.amount for e in posting.entries.all()}
    return _post(
        user=user,
        account=posting.account,
        kind=EntryKind.REVERSAL,
        movements=movements,
        memo=memo or _("Reversal of posting #%(pk)s") % {"pk": posting.pk},
        reverses=posting,
    )


def needs_top_up(*, balance: Decimal, initial_deposits: Decimal) -> bool:
    """An account below 30% (FUNDS_TOP_UP_RATIO) of its initial deposits must be topped up."""
    return initial_deposits > 0 and balance < initial_deposits * top_up_ratio()
