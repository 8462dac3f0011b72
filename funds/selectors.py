"""Reads of the maintenance fund, filtered by what the user may see (portal.scoping)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from companies.models import Compound
from companies.selectors import compound_search
from portal.choices import Role
from portal.params import COUNT_CAP
from portal.scoping import compound_filter

from .choices import EMERGENCY_WAITING, EmergencyStatus, ItemProgress, OrdinaryStatus, PlanStatus
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
    Posting,
    item_overdue_q,
)
from .services import needs_top_up, plan_late_q, top_up_ratio
from .sharing import split_by_weight

ZERO = Value(Decimal("0.00"), output_field=DecimalField(max_digits=14, decimal_places=2))


def _households(figure) -> Subquery:
    """One figure of the outer account's households: a subquery evaluated for the rows
    shown, so a page of 50 accounts costs 50 index probes whatever the number of accounts."""
    return Subquery(
        Household.objects.filter(account=OuterRef("pk"))
        .order_by()
        .values("account")
        .annotate(figure=figure)
        .values("figure")
    )


def _low(*, balance: str = "balance") -> Q:
    """Needs top-up (services.needs_top_up), of rows with `initial_deposits` and a balance."""
    return Q(initial_deposits__gt=0, **{f"{balance}__lt": F("initial_deposits") * top_up_ratio()})


def accounts_for_user(*, user) -> QuerySet[FundAccount]:
    """Accounts with their balance, initial deposits and household count; `low` = needs top-up."""
    return (
        FundAccount.objects.filter(compound_filter(user, via="compound"))
        .select_related("compound__community__street")
        .annotate(
            balance=Coalesce(_households(Sum("balance")), ZERO),
            initial_deposits=Coalesce(_households(Sum("initial_deposit")), ZERO),
            household_count=Coalesce(_households(Count("pk")), 0),
        )
        .annotate(low=_low())
        .order_by("compound__code")
    )


def account_search(accounts: QuerySet[FundAccount], q: str) -> QuerySet[FundAccount]:
    """By the compound's code or name, or its firm's name, as the registry searches."""
    return accounts.filter(compound__in=compound_search(Compound.objects.all(), q))


def accounts_low(accounts: QuerySet[FundAccount]) -> QuerySet[FundAccount]:
    """The accounts that need a top-up, found in one pass over the households by account:
    asked of each account in turn, the filter would sum the households of every account."""
    low = (
        Household.objects.order_by()
        .values("account")
        .annotate(held=Sum("balance"), initial_deposits=Sum("initial_deposit"))
        .filter(_low(balance="held"))
        .values("account")
    )
    return accounts.filter(pk__in=low)


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


class CappedCount(Subquery):
    """How many rows a queryset holds, counted up to `cap` + 1 and no further (as
    portal.params.CappedPaginator counts a list): one more than the cap says "more than"."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS capped)"

    def __init__(self, queryset: QuerySet, *, cap: int) -> None:
        rows = queryset.order_by().values("pk")[: cap + 1]
        super().__init__(rows, output_field=IntegerField())


def _smallest(queryset: QuerySet, field: str) -> Subquery:
    """The smallest value of `field` among the rows, read first from an index."""
    return Subquery(
        queryset.filter(**{f"{field}__isnull": False}).order_by(field).values(field)[:1]
    )


@dataclass
class StepCount:
    """A waiting step of the emergency board. Its counts stop at `cap`: past it the step is
    `capped` (`rows_counted` says "more than 10,000"), and `overdue` says the cap."""

    status: str
    label: str
    counted: int  # up to cap + 1
    overdue: int
    oldest_filed_at: dt.datetime | None
    earliest_due: dt.datetime | None
    cap: int

    @property
    def count(self) -> int:
        return min(self.counted, self.cap)

    @property
    def capped(self) -> bool:
        return self.counted > self.cap


def emergency_board(*, user) -> list[StepCount]:
    """Waiting emergency applications by step: how many, how many overdue, the oldest and the
    earliest deadline (one query, each figure read from an index whatever the number of
    applications: emergency_status_filed, emergency_status_due)."""
    now, cap = timezone.now(), COUNT_CAP
    mine = EmergencyApplication.objects.filter(compound_filter(user, via="compound"))
    figures = {}
    for status in EMERGENCY_WAITING:
        at = mine.filter(status=status)
        figures |= {
            f"{status}_count": CappedCount(at, cap=cap),
            f"{status}_overdue": CappedCount(at.filter(step_due_at__lt=now), cap=cap),
            f"{status}_oldest": _smallest(at, "filed_at"),
            f"{status}_due": _smallest(at, "step_due_at"),
        }
    # The figures ride on one waiting application; with none, every figure is nothing.
    row = next(iter(mine.waiting().order_by().annotate(**figures).values(*figures)[:1]), {})
    return [
        StepCount(
            status=status,
            label=EmergencyStatus(status).label,
            counted=row.get(f"{status}_count", 0),
            overdue=min(row.get(f"{status}_overdue", 0), cap),
            oldest_filed_at=row.get(f"{status}_oldest"),
            earliest_due=row.get(f"{status}_due"),
            cap=cap,
        )
        for status in EMERGENCY_WAITING
    ]


def emergency_status_counts(*, user) -> dict[str, int]:
    """How many of the user's emergency applications are at each status (one query)."""
    rows = (
        EmergencyApplication.objects.filter(compound_filter(user, via="compound"))
        .values("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["status"]: row["n"] for row in rows}


def evidence_for_user(*, user) -> QuerySet[EmergencyEvidence]:
    """The evidence files of the emergency applications the user may read."""
    return EmergencyEvidence.objects.filter(compound_filter(user, via="application__compound"))


@dataclass(frozen=True)
class ShareRow:
    household: Household
    share: Decimal


def emergency_cost_shares(*, application: EmergencyApplication) -> list[ShareRow]:
    """Each household's share of the quoted cost, split as the approval will post it: by
    floor area over the scope, to the cent, the leftover cents by the same rule
    (`services.cost_shares`); in building, unit and room order."""
    households = sorted(
        Household.objects.filter(account__compound_id=application.compound_id)
        .in_scope(scope=application.scope, building=application.building, unit=application.unit)
        .only("pk", "building", "unit", "room", "floor_area", "owner_name"),
        key=lambda h: (natural_key(h.building), natural_key(h.unit), natural_key(h.room), h.pk),
    )
    if not households:
        return []
    shares = split_by_weight(application.quote_amount, [(h.pk, h.floor_area) for h in households])
    return [ShareRow(household=h, share=shares[h.pk]) for h in households]


def natural_key(text: str) -> tuple:
    """Building 2 before building 10, as people count (the database sorts "10" first)."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text or ""))


def compound_buildings(*, compound: Compound) -> dict[str, list[str]]:
    """The buildings of a compound's fund ledger, each with its units, as they are stored."""
    buildings: dict[str, list[str]] = {}
    rows = (
        Household.objects.filter(account__compound=compound)
        .values_list("building", "unit")
        .distinct()
        .order_by("building", "unit")
    )
    for building, unit in rows:
        units = buildings.setdefault(building, [])
        if unit:
            units.append(unit)
    return buildings


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


# ---------------------------------------------------------------- the workbench


def ordinary_work(*, user, today: dt.date) -> dict[str, int]:
    """The user's ordinary uses by the step they wait for (one query): `vote_due` those whose
    owners' vote may be recorded (the publicity is over), and one count per later step."""
    publicised = Q(status=OrdinaryStatus.PUBLICISED)
    return OrdinaryApplication.objects.filter(compound_filter(user, via="compound")).aggregate(
        vote_due=Count("pk", filter=publicised & Q(publicity_end__lt=today)),
        **{
            status: Count("pk", filter=Q(status=status))
            for status in (
                OrdinaryStatus.VOTED,
                OrdinaryStatus.APPROVED,
                OrdinaryStatus.FIRST_PAID,
                OrdinaryStatus.ACCEPTED,
            )
        },
    )


PLAN_WAITING = (
    PlanStatus.DRAFT,
    PlanStatus.RETURNED,
    PlanStatus.SUBMITTED,
    PlanStatus.STREET_PASSED,
)


def _plans_acted_on(*, user) -> QuerySet[MaintenancePlan]:
    """The plans in the user's area; for a firm, only those it declared (it acts on no other)."""
    plans = MaintenancePlan.objects.filter(compound_filter(user, via="compound"))
    if user.role == Role.FIRM:
        plans = plans.filter(firm_id=user.firm_id)
    return plans


def plan_work(*, user, today: dt.date) -> dict[str, dict]:
    """For each waiting status of a plan: how many, how many late, the earliest year (one
    query). `{"draft": {"count": 2, "late": 1, "year": 2026}, ...}`"""
    late = plan_late_q(today)
    aggregates = {}
    for status in PLAN_WAITING:
        at = Q(status=status)
        aggregates[f"{status}__count"] = Count("pk", filter=at)
        aggregates[f"{status}__late"] = Count("pk", filter=at & late)
        aggregates[f"{status}__year"] = Min("year", filter=at)
    row = _plans_acted_on(user=user).aggregate(**aggregates)
    return {
        status: {key: row[f"{status}__{key}"] for key in ("count", "late", "year")}
        for status in PLAN_WAITING
    }


def plan_item_work(*, user, today: dt.date) -> dict[str, int]:
    """Items of approved plans that are not done: `due` those whose month has come (the
    firm reports on them), `overdue` those whose month is over (one query)."""
    items = MaintenancePlanItem.objects.filter(compound_filter(user, via="plan__compound"))
    if user.role == Role.FIRM:
        items = items.filter(plan__firm_id=user.firm_id)
    return items.aggregate(
        due=Count("pk", filter=item_overdue_q(today, this_month=True)),
        overdue=Count("pk", filter=item_overdue_q(today)),
    )


def plan_status_counts(*, user) -> dict[str, int]:
    rows = _plans_acted_on(user=user).values("status").annotate(n=Count("pk")).order_by()
    return {row["status"]: row["n"] for row in rows}


def plans_overdue(*, user, today: dt.date, limit: int = 10) -> tuple[list[MaintenancePlan], int]:
    """Plans that are late (not approved by their due month) or have overdue items, most
    overdue items first; the first `limit` and how many there are (two queries)."""
    plans = (
        plans_for_user(user=user)
        .annotate(
            overdue_items=Count("items", filter=item_overdue_q(today, item="items__", plan=""))
        )
        .filter(Q(overdue_items__gt=0) | plan_late_q(today))
        .order_by("-overdue_items", "year", "compound__code")
    )
    return list(plans[:limit]), plans.count()


def compound_plans_progress(*, user, today: dt.date, limit: int = 3) -> list[MaintenancePlan]:
    """The latest plans of the user's compounds with their progress: items `done` and
    `overdue_items` (one query)."""
    return list(
        plans_for_user(user=user).annotate(
            done=Count("items", filter=Q(items__progress=ItemProgress.DONE)),
            overdue_items=Count("items", filter=item_overdue_q(today, item="items__", plan="")),
        )[:limit]
    )


def emergencies_latest(*, user, limit: int = 5) -> list[EmergencyApplication]:
    return list(emergencies_for_user(user=user).order_by("-filed_at", "-pk")[:limit])


def ordinaries_latest(*, user, limit: int = 5) -> list[OrdinaryApplication]:
    return list(ordinaries_for_user(user=user).order_by("-filed_at", "-pk")[:limit])


def ordinaries_waiting_for_vote(*, user, limit: int = 5) -> list[OrdinaryApplication]:
    """Ordinary uses publicised to the owners, whose vote is still to be recorded."""
    return list(
        ordinaries_for_user(user=user)
        .filter(status=OrdinaryStatus.PUBLICISED)
        .order_by("publicity_end", "pk")[:limit]
    )


def emergencies_rejected(*, user, limit: int = 3) -> list[EmergencyApplication]:
    return list(
        emergencies_for_user(user=user)
        .filter(status=EmergencyStatus.REJECTED)
        .order_by("-rejected_at", "-pk")[:limit]
    )
