"""Writes to the maintenance fund: every money movement and every step of a use goes here.

Money rules: amounts are Decimal yuan with two decimals; the ledger is append-only
(mistakes are reversed by a counter-posting); a household's `balance` column changes only
in `_post`, under a lock of the household rows, and always equals the sum of its entries;
no balance goes below zero (checked here with a message naming the household, and by a
database constraint as the last line of defence).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from companies.models import Compound
from portal.choices import Role
from portal.models import User
from portal.scoping import compound_filter
from portal.services import record_save

from .choices import (
    EMERGENCY_WAITING,
    PLAN_EDITABLE,
    EmergencyStatus,
    EntryKind,
    ItemProgress,
    NoticeKind,
    OrdinaryStatus,
    PlanStatus,
    Scope,
)
from .models import (
    CENT,
    EmergencyApplication,
    EmergencyEvidence,
    Entry,
    FundAccount,
    FundNotice,
    Household,
    MaintenancePlan,
    MaintenancePlanItem,
    OrdinaryApplication,
    OwnersVote,
    Posting,
    default_step_hours,
)
from .sharing import split_by_weight
from .voting import VoteFigures, VoteInputError, check_article_278

# ---------------------------------------------------------------- rules as settings


def notice_days() -> int:
    return settings.FUNDS_NOTICE_DAYS


def ordinary_publicity_days() -> int:
    return settings.FUNDS_ORDINARY_PUBLICITY_DAYS


def top_up_ratio() -> Decimal:
    return Decimal(settings.FUNDS_TOP_UP_RATIO)


# ---------------------------------------------------------------- checks


def clean_money(value, *, field: str = "amount", allow_zero: bool = False) -> Decimal:
    """A positive Decimal with at most two decimals, or a ValidationError on `field`."""
    if isinstance(value, (float, bool)):
        raise ValidationError({field: _("Enter the amount as a decimal number, not a float.")})
    try:
        amount = Decimal(str(value)) if not isinstance(value, Decimal) else value
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError({field: _("Enter a valid amount.")}) from exc
    if not amount.is_finite():
        raise ValidationError({field: _("Enter a valid amount.")})
    if amount != amount.quantize(CENT):
        raise ValidationError(
            {field: _("An amount has at most two decimals (yuan and fen).")}, code="decimals"
        )
    if amount < 0 or (amount == 0 and not allow_zero):
        raise ValidationError({field: _("The amount must be greater than zero.")}, code="min")
    return amount.quantize(CENT)


def _refuse(message: str, code: str = "not_allowed") -> ValidationError:
    return ValidationError(message, code=code)


def _require_bureau(user: User | None) -> None:
    if not (user and user.is_authenticated and user.role == Role.BUREAU):
        raise _refuse(_("Only bureau staff may do this."))


def _require_bureau_or_system(user: User | None) -> None:
    """Bureau staff, or the command line (user None: whoever runs manage.py is trusted)."""
    if user is not None:
        _require_bureau(user)


def _in_scope(user: User, compound: Compound) -> bool:
    return Compound.objects.filter(compound_filter(user), pk=compound.pk).exists()


def _require_applicant(user: User | None, compound: Compound) -> None:
    """The managing firm or the owners' committee of this compound."""
    if not (
        user
        and user.is_authenticated
        and user.role in (Role.FIRM, Role.OWNERS_COMMITTEE)
        and _in_scope(user, compound)
    ):
        raise _refuse(
            _("Only the managing firm or the owners' committee of %(compound)s may do this.")
            % {"compound": compound}
        )


def _account_of(compound: Compound) -> FundAccount:
    try:
        return compound.fund_account
    except FundAccount.DoesNotExist as exc:
        raise ValidationError(
            _("%(compound)s has no maintenance fund account.") % {"compound": compound},
            code="no_account",
        ) from exc


def _scope_households(account: FundAccount, *, scope: str, building: str, unit: str):
    households = Household.objects.filter(account=account).in_scope(
        scope=scope, building=building, unit=unit
    )
    if not households.exists():
        raise ValidationError(
            {"scope": _("No household of this account is in the chosen scope.")}, code="empty"
        )
    return households


# ---------------------------------------------------------------- the ledger


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


# ---------------------------------------------------------------- notices


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


# ---------------------------------------------------------------- emergency use


def _step_due(application: EmergencyApplication, start: dt.datetime) -> dt.datetime:
    return start + dt.timedelta(hours=application.step_hours)


def _lock_emergency(application: EmergencyApplication) -> EmergencyApplication:
    # Two officers acting on the same application at once would both pass the status check.
    return (
        EmergencyApplication.objects.select_for_update()
        .select_related("compound__community__street")
        .get(pk=application.pk)
    )


def _require_step(application: EmergencyApplication, expected: str) -> None:
    if application.status == expected:
        return
    if application.status in EMERGENCY_WAITING:
        raise ValidationError(
            _(
                "This step cannot be taken now: the application is at the step "
                "“%(status)s”. Steps cannot be skipped."
            )
            % {"status": application.get_status_display()},
            code="wrong_step",
        )
    raise ValidationError(
        _("This application is no longer waiting for this step (%(status)s).")
        % {"status": application.get_status_display()},
        code="wrong_step",
    )


def _require_certifier(user: User | None, application: EmergencyApplication) -> None:
    compound = application.compound
    if not (
        user
        and user.is_authenticated
        and user.role == Role.COMMUNITY
        and user.community_id == compound.community_id
    ):
        raise _refuse(
            _("Only an officer of the community of %(compound)s may certify this emergency.")
            % {"compound": compound}
        )


def _require_confirmer(user: User | None, application: EmergencyApplication) -> None:
    compound = application.compound
    if not (
        user
        and user.is_authenticated
        and user.role == Role.STREET
        and user.street_id == compound.community.street_id
    ):
        raise _refuse(
            _("Only an officer of the street of %(compound)s may confirm this emergency.")
            % {"compound": compound}
        )


def _advance(application: EmergencyApplication, status: str, now: dt.datetime) -> None:
    application.status = status
    application.step_started_at = now
    application.step_due_at = _step_due(application, now) if status in EMERGENCY_WAITING else None
    application.escalated_at = None


@transaction.atomic
def emergency_file(
    *,
    user: User,
    compound: Compound,
    kind: str,
    title: str,
    description: str,
    quote_amount,
    scope: str = Scope.COMPOUND,
    building: str = "",
    unit: str = "",
    quote_file=None,
    evidence_files: Iterable = (),
    step_hours: int | None = None,
) -> EmergencyApplication:
    """The firm or the owners' committee files an emergency with its quote and evidence."""
    _require_applicant(user, compound)
    amount = clean_money(quote_amount, field="quote_amount")
    account = _account_of(compound)
    now = timezone.now()
    application = EmergencyApplication(
        compound=compound,
        kind=kind,
        title=title,
        description=description,
        quote_amount=amount,
        scope=scope,
        building=building,
        unit=unit,
        status=EmergencyStatus.FILED,
        step_hours=step_hours or default_step_hours(),
        filed_at=now,
        filed_by=user,
        step_started_at=now,
    )
    if quote_file:
        application.quote_file = quote_file
    application.step_due_at = _step_due(application, now)
    application.full_clean()  # scope fields are normalised by clean() before the check below
    _scope_households(
        account, scope=application.scope, building=application.building, unit=application.unit
    )
    record_save(application, user=user)
    for f in evidence_files:
        record_evidence = EmergencyEvidence(
            application=application, file=f, uploaded_at=now, uploaded_by=user
        )
        record_evidence.full_clean()
        record_evidence.save()
    return application


@transaction.atomic
def emergency_certify(*, user: User, application: EmergencyApplication) -> EmergencyApplication:
    """The community certifies that the emergency is real (its own compounds only)."""
    application = _lock_emergency(application)
    _require_certifier(user, application)
    _require_step(application, EmergencyStatus.FILED)
    now = timezone.now()
    application.certified_at, application.certified_by = now, user
    _advance(application, EmergencyStatus.CERTIFIED, now)
    return record_save(application, user=user, reason="certified")


@transaction.atomic
def emergency_confirm(*, user: User, application: EmergencyApplication) -> EmergencyApplication:
    """The street confirms the certified emergency (its own street only)."""
    application = _lock_emergency(application)
    _require_confirmer(user, application)
    _require_step(application, EmergencyStatus.CERTIFIED)
    now = timezone.now()
    application.confirmed_at, application.confirmed_by = now, user
    _advance(application, EmergencyStatus.CONFIRMED, now)
    return record_save(application, user=user, reason="confirmed")


@transaction.atomic
def emergency_approve(
    *, user: User, application: EmergencyApplication, amount=None
) -> EmergencyApplication:
    """The bureau approves: the cost is disbursed, shared by floor area, and publicised."""
    _require_bureau(user)
    application = _lock_emergency(application)
    _require_step(application, EmergencyStatus.CONFIRMED)
    amount = clean_money(
        application.quote_amount if amount in (None, "") else amount, field="amount"
    )
    if amount > application.quote_amount:
        raise ValidationError(
            {
                "amount": _("The approved cost cannot exceed the quote (%(quote)s yuan).")
                % {"quote": application.quote_amount}
            }
        )
    account = _account_of(application.compound)
    posting = disbursement_post(
        user=user,
        account=account,
        amount=amount,
        scope=application.scope,
        building=application.building,
        unit=application.unit,
        memo=_("Emergency use: %(title)s") % {"title": application.title},
        emergency=application,
    )
    now = timezone.now()
    application.approved_at, application.approved_by = now, user
    application.approved_amount = amount
    _advance(application, EmergencyStatus.APPROVED, now)
    record_save(application, user=user, reason="approved")
    _notice(
        user=user,
        compound=application.compound,
        kind=NoticeKind.EMERGENCY,
        title=_("Emergency use of the maintenance fund: %(title)s") % {"title": application.title},
        body=_(
            "%(kind)s. %(description)s\nScope: %(scope)s. Approved cost: %(amount)s yuan, "
            "shared by floor area among the households below."
        )
        % {
            "kind": application.get_kind_display(),
            "description": application.description,
            "scope": application.scope_label,
            "amount": amount,
        },
        days=notice_days(),
        amount=amount,
        shares=_shares_snapshot([posting]),
        emergency=application,
    )
    return application


@transaction.atomic
def emergency_reject(
    *, user: User, application: EmergencyApplication, reason: str
) -> EmergencyApplication:
    """Whoever holds the current step may reject, with a reason; nothing is disbursed."""
    application = _lock_emergency(application)
    if application.status not in EMERGENCY_WAITING:
        _require_step(application, EmergencyStatus.FILED)  # raises the "no longer" message
    if application.status == EmergencyStatus.FILED:
        _require_certifier(user, application)
    elif application.status == EmergencyStatus.CERTIFIED:
        _require_confirmer(user, application)
    else:
        _require_bureau(user)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the rejection.")})
    now = timezone.now()
    application.rejected_at, application.rejected_by = now, user
    application.reject_reason = reason.strip()
    _advance(application, EmergencyStatus.REJECTED, now)
    return record_save(application, user=user, reason="rejected")


@transaction.atomic
def emergency_complete(
    *, user: User, application: EmergencyApplication, completed_on: dt.date | None = None
) -> EmergencyApplication:
    """The applicant reports the repair done."""
    application = _lock_emergency(application)
    _require_applicant(user, application.compound)
    _require_step(application, EmergencyStatus.APPROVED)
    completed_on = completed_on or timezone.localdate()
    if completed_on > timezone.localdate():
        raise ValidationError({"completed_on": _("The completion date cannot be in the future.")})
    application.completed_on = completed_on
    _advance(application, EmergencyStatus.COMPLETED, timezone.now())
    return record_save(application, user=user, reason="completed")


@transaction.atomic
def emergency_escalate_overdue(*, now: dt.datetime | None = None) -> int:
    """Mark overdue steps escalated (shown in red to the bureau); never approves anything."""
    now = now or timezone.now()
    count = 0
    overdue = (
        EmergencyApplication.objects.overdue(now)
        .filter(escalated_at__isnull=True)
        .select_for_update(skip_locked=True)
    )
    for application in overdue:
        application.escalated_at = now
        record_save(application, user=None, reason="step overdue: escalated")
        count += 1
    return count


# ---------------------------------------------------------------- ordinary use


def _lock_ordinary(application: OrdinaryApplication) -> OrdinaryApplication:
    # Two clerks paying or reviewing the same application at once would pay twice.
    return (
        OrdinaryApplication.objects.select_for_update()
        .select_related("compound")
        .get(pk=application.pk)
    )


def _require_ordinary_step(application: OrdinaryApplication, expected: str) -> None:
    if application.status != expected:
        raise ValidationError(
            _(
                "This step cannot be taken now: the application is at “%(status)s”. "
                "Steps cannot be skipped."
            )
            % {"status": application.get_status_display()},
            code="wrong_step",
        )


@transaction.atomic
def ordinary_file(
    *,
    user: User,
    compound: Compound,
    title: str,
    items: str,
    budget,
    scope: str = Scope.COMPOUND,
    building: str = "",
    unit: str = "",
    raises_fund: bool = False,
    publicity_days: int | None = None,
    publicity_start: dt.date | None = None,
) -> OrdinaryApplication:
    """The firm or the owners' committee applies; the plan is publicised to the owners.

    `publicity_start` (default today) may lie in the past when the plan was already posted
    on the compound's notice board; never in the future.
    """
    _require_applicant(user, compound)
    budget = clean_money(budget, field="budget")
    minimum = ordinary_publicity_days()
    days = publicity_days or minimum
    if days < minimum:
        raise ValidationError(
            {
                "publicity_days": _("The plan must be publicised for at least %(n)s days.")
                % {"n": minimum}
            }
        )
    account = _account_of(compound)
    start = publicity_start or timezone.localdate()
    if start > timezone.localdate():
        raise ValidationError({"publicity_start": _("The publicity cannot start in the future.")})
    application = OrdinaryApplication(
        compound=compound,
        title=title,
        items=items,
        budget=budget,
        scope=scope,
        building=building,
        unit=unit,
        raises_fund=raises_fund,
        publicity_start=start,
        publicity_end=start + dt.timedelta(days=days - 1),
        filed_by=user,
    )
    application.full_clean()
    _scope_households(
        account, scope=application.scope, building=application.building, unit=application.unit
    )
    record_save(application, user=user)
    _notice(
        user=user,
        compound=compound,
        kind=NoticeKind.ORDINARY_PLAN,
        title=_("Plan for the use of the maintenance fund: %(title)s") % {"title": title},
        body=_("Items: %(items)s\nScope: %(scope)s. Budget: %(budget)s yuan.")
        % {"items": items, "scope": application.scope_label, "budget": budget},
        days=days,
        start=start,
        amount=budget,
        ordinary=application,
    )
    return application


@transaction.atomic
def ordinary_record_vote(
    *,
    user: User,
    application: OrdinaryApplication,
    total_area: Decimal,
    total_owners: int,
    participating_area: Decimal,
    participating_owners: int,
    yes_area: Decimal,
    yes_owners: int,
) -> OwnersVote:
    """Record the owners' vote once the publicity is over; a failed vote ends the application."""
    application = _lock_ordinary(application)
    _require_applicant(user, application.compound)
    _require_ordinary_step(application, OrdinaryStatus.PUBLICISED)
    if timezone.localdate() <= application.publicity_end:
        raise ValidationError(
            _("The vote can be recorded after the publicity ends on %(date)s.")
            % {"date": application.publicity_end.isoformat()},
            code="publicity",
        )
    figures = VoteFigures(
        total_area=total_area,
        total_owners=total_owners,
        participating_area=participating_area,
        participating_owners=participating_owners,
        yes_area=yes_area,
        yes_owners=yes_owners,
    )
    try:
        result = check_article_278(figures, raises_fund=application.raises_fund)
    except VoteInputError as exc:
        raise ValidationError(exc.errors, code="vote") from exc
    vote = record_save(
        OwnersVote(
            application=application,
            **figures.__dict__,
            passed=result.passed,
            reasons="\n".join(result.reasons),
            recorded_by=user,
        ),
        user=user,
    )
    application.status = OrdinaryStatus.VOTED if result.passed else OrdinaryStatus.VOTE_FAILED
    record_save(application, user=user, reason="vote recorded")
    return vote


@transaction.atomic
def ordinary_review(
    *, user: User, application: OrdinaryApplication, approve: bool, comment: str = ""
) -> OrdinaryApplication:
    """The bureau approves the voted application or returns it with comments."""
    _require_bureau(user)
    application = _lock_ordinary(application)
    _require_ordinary_step(application, OrdinaryStatus.VOTED)
    if not approve and not comment.strip():
        raise ValidationError({"comment": _("Say why the application is returned.")})
    application.status = OrdinaryStatus.APPROVED if approve else OrdinaryStatus.RETURNED
    application.reviewed_at, application.reviewed_by = timezone.now(), user
    application.review_comment = comment.strip()
    return record_save(application, user=user, reason="reviewed")


def first_payment_amount(application: OrdinaryApplication) -> Decimal:
    return (application.budget * application.first_payment_ratio).quantize(
        CENT, rounding=ROUND_HALF_UP
    )


@transaction.atomic
def ordinary_pay_first(*, user: User, application: OrdinaryApplication) -> Posting:
    """The first payment (70% of the budget by default), shared by floor area."""
    _require_bureau(user)
    application = _lock_ordinary(application)
    _require_ordinary_step(application, OrdinaryStatus.APPROVED)
    posting = disbursement_post(
        user=user,
        account=_account_of(application.compound),
        amount=first_payment_amount(application),
        scope=application.scope,
        building=application.building,
        unit=application.unit,
        memo=_("First payment: %(title)s") % {"title": application.title},
        ordinary=application,
    )
    application.status = OrdinaryStatus.FIRST_PAID
    record_save(application, user=user, reason="first payment")
    return posting


@transaction.atomic
def ordinary_accept(
    *, user: User, application: OrdinaryApplication, final_cost
) -> OrdinaryApplication:
    """The owners' side accepts the finished work and states its final cost."""
    application = _lock_ordinary(application)
    _require_applicant(user, application.compound)
    _require_ordinary_step(application, OrdinaryStatus.FIRST_PAID)
    final_cost = clean_money(final_cost, field="final_cost")
    paid = first_payment_amount(application)
    if final_cost < paid:
        raise ValidationError(
            {
                "final_cost": _("The final cost cannot be less than the first payment (%(paid)s).")
                % {"paid": paid}
            }
        )
    if final_cost > application.budget:
        raise ValidationError(
            {
                "final_cost": _("The final cost cannot exceed the approved budget (%(budget)s).")
                % {"budget": application.budget}
            }
        )
    application.final_cost = final_cost
    application.accepted_at, application.accepted_by = timezone.now(), user
    application.status = OrdinaryStatus.ACCEPTED
    return record_save(application, user=user, reason="accepted")


@transaction.atomic
def ordinary_pay_final(*, user: User, application: OrdinaryApplication) -> OrdinaryApplication:
    """The final payment, then the result notice to the owners (at least 10 days)."""
    _require_bureau(user)
    application = _lock_ordinary(application)
    _require_ordinary_step(application, OrdinaryStatus.ACCEPTED)
    rest = application.final_cost - first_payment_amount(application)
    if rest > 0:
        disbursement_post(
            user=user,
            account=_account_of(application.compound),
            amount=rest,
            scope=application.scope,
            building=application.building,
            unit=application.unit,
            memo=_("Final payment: %(title)s") % {"title": application.title},
            ordinary=application,
        )
    application.status = OrdinaryStatus.CLOSED
    record_save(application, user=user, reason="final payment")
    _notice(
        user=user,
        compound=application.compound,
        kind=NoticeKind.ORDINARY_RESULT,
        title=_("Result of the use of the maintenance fund: %(title)s")
        % {"title": application.title},
        body=_("Items: %(items)s\nScope: %(scope)s. Final cost: %(cost)s yuan.")
        % {
            "items": application.items,
            "scope": application.scope_label,
            "cost": application.final_cost,
        },
        days=notice_days(),
        amount=application.final_cost,
        shares=_shares_snapshot(application.postings.all()),
        ordinary=application,
    )
    return application


# ---------------------------------------------------------------- maintenance plans


def plan_due_month() -> int:
    """A plan not approved by the end of this month of its year is late (default March)."""
    return settings.FUNDS_PLAN_DUE_MONTH


def _lock_plan(plan: MaintenancePlan) -> MaintenancePlan:
    # Two people acting on the same plan at once (a street officer passing it while the
    # firm adds an item, two clerks approving) would both pass the status check.
    return (
        MaintenancePlan.objects.select_for_update()
        .select_related("compound__community__street", "firm")
        .get(pk=plan.pk)
    )


def _require_plan_step(plan: MaintenancePlan, *expected: str) -> None:
    if plan.status not in expected:
        raise ValidationError(
            _(
                "This step cannot be taken now: the plan is at “%(status)s”. "
                "Steps cannot be skipped."
            )
            % {"status": plan.get_status_display()},
            code="wrong_step",
        )


def _require_plan_firm(user: User | None, plan: MaintenancePlan) -> None:
    """The firm that declared the plan, while it still manages the compound."""
    if not (
        user
        and user.is_authenticated
        and user.role == Role.FIRM
        and user.firm_id == plan.firm_id
        and _in_scope(user, plan.compound)
    ):
        raise _refuse(
            _("Only the firm that declared this plan may change it or report its progress.")
        )


def _require_plan_street(user: User | None, plan: MaintenancePlan) -> None:
    if not (
        user
        and user.is_authenticated
        and user.role == Role.STREET
        and user.street_id == plan.compound.community.street_id
    ):
        raise _refuse(
            _("Only an officer of the street of %(compound)s may review this plan.")
            % {"compound": plan.compound}
        )


@transaction.atomic
def plan_create(*, user: User, compound: Compound, year: int) -> MaintenancePlan:
    """The managing firm opens its plan of `year` for a compound (a draft)."""
    if not (
        user
        and user.is_authenticated
        and user.role == Role.FIRM
        and user.firm_id
        and compound.firm_id == user.firm_id
    ):
        raise _refuse(
            _("Only the firm managing %(compound)s may declare its maintenance plan.")
            % {"compound": compound}
        )
    if MaintenancePlan.objects.filter(compound=compound, year=year).exists():
        raise ValidationError(
            {
                "year": ValidationError(
                    _("%(compound)s already has a maintenance plan for %(year)s.")
                    % {"compound": compound, "year": year},
                    code="exists",
                )
            }
        )
    return record_save(
        MaintenancePlan(compound=compound, firm_id=user.firm_id, year=year, created_by=user),
        user=user,
    )


@transaction.atomic
def plan_item_add(
    *,
    user: User,
    plan: MaintenancePlan,
    facility: str,
    work: str,
    planned_month: int,
    estimated_cost,
    funding_source: str,
) -> MaintenancePlanItem:
    """Add an item to a draft or returned plan."""
    plan = _lock_plan(plan)
    _require_plan_firm(user, plan)
    _require_plan_step(plan, *PLAN_EDITABLE)
    item = MaintenancePlanItem(
        plan=plan,
        facility=(facility or "").strip(),
        work=(work or "").strip(),
        planned_month=planned_month,
        estimated_cost=clean_money(estimated_cost, field="estimated_cost"),
        funding_source=funding_source,
    )
    return record_save(item, user=user)


@transaction.atomic
def plan_item_remove(*, user: User, item: MaintenancePlanItem) -> None:
    """Take an item out of a plan that is still being drafted (or was returned)."""
    plan = _lock_plan(item.plan)
    _require_plan_firm(user, plan)
    _require_plan_step(plan, *PLAN_EDITABLE)
    item._history_user = user
    item.delete()


@transaction.atomic
def plan_submit(*, user: User, plan: MaintenancePlan) -> MaintenancePlan:
    """The firm submits the plan to the street."""
    plan = _lock_plan(plan)
    _require_plan_firm(user, plan)
    _require_plan_step(plan, *PLAN_EDITABLE)
    if not plan.items.exists():
        raise ValidationError(_("Add at least one item before submitting the plan."), code="empty")
    plan.status = PlanStatus.SUBMITTED
    plan.submitted_at = timezone.now()
    return record_save(plan, user=user, reason="submitted")


@transaction.atomic
def plan_street_review(
    *, user: User, plan: MaintenancePlan, passed: bool, comment: str = ""
) -> MaintenancePlan:
    """The street passes the plan on to the bureau, or returns it to the firm with comments."""
    plan = _lock_plan(plan)
    _require_plan_street(user, plan)
    _require_plan_step(plan, PlanStatus.SUBMITTED)
    comment = (comment or "").strip()
    if not passed and not comment:
        raise ValidationError(
            {"comment": ValidationError(_("Say why the plan is returned."), code="comment")}
        )
    plan.status = PlanStatus.STREET_PASSED if passed else PlanStatus.RETURNED
    plan.street_reviewed_at, plan.street_reviewed_by = timezone.now(), user
    plan.street_comment = comment
    return record_save(plan, user=user, reason="street review")


@transaction.atomic
def plan_bureau_review(
    *, user: User, plan: MaintenancePlan, approve: bool, comment: str = ""
) -> MaintenancePlan:
    """The bureau approves the plan the street passed, or returns it with comments."""
    _require_bureau(user)
    plan = _lock_plan(plan)
    _require_plan_step(plan, PlanStatus.STREET_PASSED)
    comment = (comment or "").strip()
    if not approve and not comment:
        raise ValidationError(
            {"comment": ValidationError(_("Say why the plan is returned."), code="comment")}
        )
    plan.status = PlanStatus.APPROVED if approve else PlanStatus.RETURNED
    plan.bureau_reviewed_by = user
    plan.approved_at = timezone.now() if approve else None
    plan.bureau_comment = comment
    return record_save(plan, user=user, reason="bureau review")


@transaction.atomic
def plan_item_progress(
    *,
    user: User,
    item: MaintenancePlanItem,
    progress: str,
    date: dt.date | None = None,
    note: str = "",
) -> MaintenancePlanItem:
    """The firm reports how far an item of its approved plan has got."""
    plan = _lock_plan(item.plan)
    _require_plan_firm(user, plan)
    _require_plan_step(plan, PlanStatus.APPROVED)
    item = MaintenancePlanItem.objects.select_for_update().get(pk=item.pk, plan=plan)
    if progress not in ItemProgress.values:
        raise ValidationError(
            {"progress": ValidationError(_("Choose a valid progress."), code="invalid")}
        )
    date = date or timezone.localdate()
    if date > timezone.localdate():
        raise ValidationError(
            {"date": ValidationError(_("The date cannot be in the future."), code="future")}
        )
    item.progress, item.progress_date, item.progress_note = progress, date, (note or "").strip()
    return record_save(item, user=user, reason="progress")


def plan_is_late(plan: MaintenancePlan, today: dt.date | None = None) -> bool:
    """Not approved by the end of its due month (FUNDS_PLAN_DUE_MONTH of its year)."""
    today = today or timezone.localdate()
    return plan.status != PlanStatus.APPROVED and (today.year, today.month) > (
        plan.year,
        plan_due_month(),
    )


def plan_overdue_items(plan: MaintenancePlan, today: dt.date | None = None):
    return MaintenancePlanItem.objects.filter(plan=plan).overdue(today)


@transaction.atomic
def plan_credit_deduct(
    *, user: User, plan: MaintenancePlan, points, reason: str
) -> MaintenancePlan:
    """The bureau turns a late or unfulfilled plan into a credit deduction of its firm."""
    from credit.choices import EventKind
    from credit.services import credit_event_create

    _require_bureau(user)
    plan = _lock_plan(plan)
    if plan.credit_event_id:
        raise ValidationError(
            _("This plan has already led to a credit deduction."), code="already_deducted"
        )
    today = timezone.localdate()
    if not (plan_is_late(plan, today) or plan_overdue_items(plan, today).exists()):
        raise ValidationError(
            _("This plan is neither late nor has overdue items: there is nothing to deduct for."),
            code="not_late",
        )
    points = clean_money(points, field="points")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": ValidationError(_("Give the reason for the deduction."), code="reason")}
        )
    # The deduction counts in the plan's year; made later, it is dated the year's last day.
    date = min(today, dt.date(plan.year, 12, 31))
    event = credit_event_create(
        user=user,
        year=plan.year,
        firm=plan.firm,
        kind=EventKind.DEDUCTION,
        points=points,
        date=date,
        reason=_("Maintenance plan %(year)s of %(compound)s: %(reason)s")
        % {"year": plan.year, "compound": plan.compound, "reason": reason},
    )
    plan.credit_event = event
    return record_save(plan, user=user, reason="credit deduction")
