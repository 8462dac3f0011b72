"""Reads of the maintenance fund, filtered by what the user may see (portal.scoping)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from companies.models import Compound
from portal.scoping import compound_filter

from .choices import EMERGENCY_WAITING, EmergencyStatus, PlanStatus
from .models import (
    CENT,
    EmergencyApplication,
    Entry,
    FundAccount,
    FundNotice,
    Household,
    MaintenancePlan,
    MaintenancePlanItem,
    OrdinaryApplication,
    Posting,
)
from .services import needs_top_up, top_up_ratio

ZERO = Value(Decimal("0.00"), output_field=DecimalField(max_digits=14, decimal_places=2))


def accounts_for_user(*, user) -> QuerySet[FundAccount]:
    """Accounts with their balance, initial deposits and household count; `low` = needs top-up."""
    return (
        FundAccount.objects.filter(compound_filter(user, via="compound"))
        .select_related("compound__community__street")
        .annotate(
            balance=Coalesce(Sum("households__balance"), ZERO),
            initial_deposits=Coalesce(Sum("households__initial_deposit"), ZERO),
            household_count=Count("households"),
        )
        .annotate(low=Q(initial_deposits__gt=0, balance__lt=F("initial_deposits") * top_up_ratio()))
        .order_by("compound__code")
    )


def account_get_for_user(*, user, pk: int) -> FundAccount:
    return get_object_or_404(accounts_for_user(user=user), pk=pk)


def account_households(*, account: FundAccount) -> QuerySet[Household]:
    return account.households.order_by("building", "unit", "room", "pk")


def account_postings(*, account: FundAccount, limit: int = 20) -> list[Posting]:
    """The latest postings with `is_reversed`, for the account page."""
    return list(
        account.postings.select_related("created_by", "reverses")
        .annotate(is_reversed=Exists(Posting.objects.filter(reverses=OuterRef("pk"))))
        .order_by("-created_at", "-pk")[:limit]
    )


def household_get_for_user(*, user, pk: int) -> Household:
    return get_object_or_404(
        Household.objects.filter(compound_filter(user, via="account__compound")).select_related(
            "account__compound"
        ),
        pk=pk,
    )


def household_entries(*, household: Household) -> QuerySet[Entry]:
    return household.entries.select_related("posting__created_by").order_by("created_at", "pk")


def ledger_mismatches(*, account: FundAccount | None = None) -> list[tuple[int, Decimal, Decimal]]:
    """Households whose balance column differs from the sum of their entries (should be none)."""
    households = Household.objects.all()
    if account is not None:
        households = households.filter(account=account)
    rows = (
        households.annotate(ledger=Coalesce(Sum("entries__amount"), ZERO))
        .values_list("pk", "balance", "ledger")
        .order_by("pk")
    )
    # Compared in Python: SQLite sums decimals as floats, so 0.1 + 0.2 must be rounded back.
    return [
        (pk, balance, Decimal(ledger).quantize(CENT))
        for pk, balance, ledger in rows.iterator(chunk_size=2000)
        if Decimal(ledger).quantize(CENT) != balance
    ]


def account_needs_top_up(account: FundAccount) -> bool:
    return needs_top_up(balance=account.balance, initial_deposits=account.initial_deposits)


# ---------------------------------------------------------------- emergency use


def emergencies_for_user(*, user) -> QuerySet[EmergencyApplication]:
    return EmergencyApplication.objects.filter(
        compound_filter(user, via="compound")
    ).select_related("compound__community__street", "filed_by")


def emergency_get_for_user(*, user, pk: int) -> EmergencyApplication:
    return get_object_or_404(
        emergencies_for_user(user=user).select_related(
            "certified_by", "confirmed_by", "approved_by", "rejected_by"
        ),
        pk=pk,
    )


@dataclass
class StepCount:
    status: str
    label: str
    count: int
    overdue: int
    oldest_filed_at: dt.datetime | None


def emergency_board(*, user) -> list[StepCount]:
    """Waiting emergency applications by step, with how many are overdue and the oldest."""
    now = timezone.now()
    rows = {
        r["status"]: r
        for r in emergencies_for_user(user=user)
        .filter(status__in=EMERGENCY_WAITING)
        .values("status")
        .annotate(
            count=Count("pk"),
            overdue=Count("pk", filter=Q(step_due_at__lt=now)),
            oldest=Min("filed_at"),
        )
        .order_by()
    }
    return [
        StepCount(
            status=s,
            label=EmergencyStatus(s).label,
            count=rows.get(s, {}).get("count", 0),
            overdue=rows.get(s, {}).get("overdue", 0),
            oldest_filed_at=rows.get(s, {}).get("oldest"),
        )
        for s in EMERGENCY_WAITING
    ]


# ---------------------------------------------------------------- ordinary use


def ordinaries_for_user(*, user) -> QuerySet[OrdinaryApplication]:
    return OrdinaryApplication.objects.filter(compound_filter(user, via="compound")).select_related(
        "compound__community__street", "filed_by"
    )


def ordinary_get_for_user(*, user, pk: int) -> OrdinaryApplication:
    application = get_object_or_404(
        ordinaries_for_user(user=user).select_related("reviewed_by", "accepted_by"), pk=pk
    )
    return application


def compounds_for_applicant(*, user) -> QuerySet[Compound]:
    """Compounds the user may file fund applications for (with a fund account)."""
    return Compound.objects.filter(compound_filter(user), fund_account__isnull=False).order_by(
        "code"
    )


# ---------------------------------------------------------------- public notices


def notices_public(*, q: str = "", compound_code: str = "") -> QuerySet[FundNotice]:
    notices = FundNotice.objects.select_related("compound__community__street")
    if compound_code:
        notices = notices.filter(compound__code=compound_code)
    if q:
        notices = notices.filter(
            Q(title__icontains=q) | Q(compound__name__icontains=q) | Q(compound__code__iexact=q)
        )
    return notices.order_by("-publicity_start", "-pk")


def notice_get_public(*, pk: int) -> FundNotice:
    try:
        return FundNotice.objects.select_related("compound").get(pk=pk)
    except FundNotice.DoesNotExist as exc:
        raise Http404 from exc


def compound_fund_summary(*, compound: Compound) -> dict:
    """For a compound's public page: its fund balance, recent notices (no personal data)."""
    totals = Household.objects.filter(account__compound=compound).aggregate(
        balance=Coalesce(Sum("balance"), ZERO),
        initial=Coalesce(Sum("initial_deposit"), ZERO),
        households=Count("pk"),
    )
    return {
        "balance": totals["balance"],
        "households": totals["households"],
        "needs_top_up": needs_top_up(balance=totals["balance"], initial_deposits=totals["initial"]),
        "notices": list(notices_public(compound_code=compound.code)[:20]),
    }


# ---------------------------------------------------------------- maintenance plans


def plans_for_user(*, user) -> QuerySet[MaintenancePlan]:
    return (
        MaintenancePlan.objects.filter(compound_filter(user, via="compound"))
        .select_related("compound__community__street", "firm")
        .annotate(
            item_count=Count("items"), total_cost=Coalesce(Sum("items__estimated_cost"), ZERO)
        )
        .order_by("-year", "compound__code")
    )


def plan_get_for_user(*, user, pk: int) -> MaintenancePlan:
    return get_object_or_404(
        plans_for_user(user=user).select_related(
            "street_reviewed_by", "bureau_reviewed_by", "credit_event"
        ),
        pk=pk,
    )


def plan_items(*, plan: MaintenancePlan) -> list[MaintenancePlanItem]:
    return list(plan.items.order_by("planned_month", "pk"))


def plan_item_get_for_user(*, user, pk: int) -> MaintenancePlanItem:
    return get_object_or_404(
        MaintenancePlanItem.objects.filter(
            compound_filter(user, via="plan__compound")
        ).select_related("plan__compound__community__street"),
        pk=pk,
    )


def overdue_plan_items(*, user, today: dt.date | None = None) -> QuerySet[MaintenancePlanItem]:
    """Items of approved plans past their planned month and not done, in the user's area."""
    return (
        MaintenancePlanItem.objects.filter(compound_filter(user, via="plan__compound"))
        .overdue(today)
        .select_related("plan__compound__community__street", "plan__firm")
        .order_by("plan__year", "planned_month", "plan__compound__code", "pk")
    )


def compounds_for_plans(*, user) -> QuerySet[Compound]:
    """The compounds a firm user may declare plans for: those its firm manages."""
    if not getattr(user, "firm_id", None):
        return Compound.objects.none()
    return Compound.objects.filter(compound_filter(user), firm_id=user.firm_id).order_by("code")


# ---------------------------------------------------------------- public compound page


def compound_get_public(*, code: str) -> Compound:
    return get_object_or_404(Compound.objects.select_related("community__street"), code=code)


def compound_public_plan(*, compound: Compound) -> tuple[MaintenancePlan | None, list]:
    """The latest approved plan of a compound and its items (no personal data in either)."""
    plan = (
        MaintenancePlan.objects.filter(compound=compound, status=PlanStatus.APPROVED)
        .select_related("firm")
        .order_by("-year")
        .first()
    )
    return plan, (plan_items(plan=plan) if plan else [])
