"""Demo data of the maintenance fund: accounts for some demo compounds, emergency and
ordinary applications in every state, and the demo firm's maintenance plans, all written
through the services."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from companies.models import Compound
from portal.choices import Role
from portal.models import User

from . import services
from .choices import EmergencyKind, EntryKind, FundingSource, ItemProgress, PlanStatus, Scope
from .models import (
    CENT,
    EmergencyApplication,
    Entry,
    FundAccount,
    Household,
    MaintenancePlan,
    Posting,
)

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍红建国志强海燕"
UNITS, PER_FLOOR = 2, 2
DEPOSIT_PER_M2 = Decimal("120.00")
MAX_ACCOUNTS = 5  # each holds all its registry households: more would slow the demo
DEMO_REASON = "demo data"


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _floors(households: int) -> int:
    """Low-rise for a small compound, high-rise for a big one."""
    return 6 if households < 500 else 11 if households < 1500 else 18


def _rooms(households: int):
    """(building, unit, room) of exactly `households` flats, filled building by building,
    unit by unit, floor by floor, named as the ledger writes them (building "2" is 2栋)."""
    floors = _floors(households)
    per_building = UNITS * floors * PER_FLOOR
    for n in range(households):
        building, rest = divmod(n, per_building)
        unit, rest = divmod(rest, floors * PER_FLOOR)
        floor, door = divmod(rest, PER_FLOOR)
        yield str(building + 1), str(unit + 1), f"{floor + 1}{door + 1:02d}"


def _open_account(compound: Compound, bureau: User, rng: random.Random) -> FundAccount:
    """An account with one sub-account for each household the registry counts, each holding
    its initial deposit: the bank's opening statement, written as one deposit posting."""
    account = services.account_open(
        user=bureau, compound=compound, opened_on=dt.date(2015 + rng.randrange(8), 1, 1)
    )
    households = []
    for building, unit, room in _rooms(compound.households):
        area = (Decimal(rng.randrange(6000, 14000)) / 100).quantize(CENT)
        deposit = (area * DEPOSIT_PER_M2).quantize(CENT)
        households.append(
            Household(
                account=account,
                building=building,
                unit=unit,
                room=room,
                floor_area=area,
                owner_name=_name(rng),
                initial_deposit=deposit,
                balance=deposit,
            )
        )
    # Written directly, not household by household through the ledger service: thousands of
    # households would take seconds. The entries still sum to each balance (the ledger's
    # rule), as selectors.ledger_mismatches checks.
    households = bulk_create_with_history(
        households, Household, default_user=bureau, default_change_reason=DEMO_REASON
    )
    posted_at = timezone.now()
    posting = Posting.objects.create(
        account=account,
        kind=EntryKind.DEPOSIT,
        amount=sum((h.initial_deposit for h in households), Decimal(0)),
        memo="初始交存",
        created_at=posted_at,
        created_by=bureau,
    )
    Entry.objects.bulk_create(
        Entry(
            posting=posting,
            household=h,
            kind=EntryKind.DEPOSIT,
            amount=h.initial_deposit,
            balance_after=h.balance,
            created_at=posted_at,
        )
        for h in Household.objects.filter(account=account).only("pk", "initial_deposit", "balance")
    )
    return account


def _emergencies(compound: Compound, people: dict[str, User]) -> None:
    firm, committee = people[Role.FIRM], people[Role.OWNERS_COMMITTEE]
    community, street, bureau = people[Role.COMMUNITY], people[Role.STREET], people[Role.BUREAU]

    def file(kind, title, amount, applicant=firm, **scope):
        return services.emergency_file(
            user=applicant,
            compound=compound,
            kind=kind,
            title=title,
            description=f"{title}，已设置警示并临时处置，需尽快维修。",
            quote_amount=Decimal(amount),
            **(scope or {"scope": Scope.BUILDING, "building": "1"}),
        )

    overdue = file(EmergencyKind.ELEVATOR, "1号楼1单元电梯停运", "18600.00")
    # Filed 30 hours ago and never certified: overdue, escalated (demo clock only).
    filed_at = timezone.now() - dt.timedelta(hours=30)
    EmergencyApplication.objects.filter(pk=overdue.pk).update(
        filed_at=filed_at,
        step_started_at=filed_at,
        step_due_at=filed_at + dt.timedelta(hours=overdue.step_hours),
    )
    services.emergency_escalate_overdue()

    file(
        EmergencyKind.LEAK,
        "2号楼屋面渗漏",
        "6400.00",
        applicant=committee,
        scope=Scope.BUILDING,
        building="2",
    )
    certified = file(
        EmergencyKind.PIPES,
        "3号楼2单元供水管爆裂",
        "2300.00",
        scope=Scope.UNIT,
        building="3",
        unit="2",
    )
    services.emergency_certify(user=community, application=certified)

    confirmed = file(
        EmergencyKind.FIRE, "地下车库消防喷淋系统失效", "9800.00", scope=Scope.COMPOUND
    )
    services.emergency_certify(user=community, application=confirmed)
    services.emergency_confirm(user=street, application=confirmed)

    for title, kind, amount, done in (
        ("1号楼外墙瓷砖脱落", EmergencyKind.EXTERIOR_WALL, "12000.00", False),
        ("2号楼1单元电梯曳引机故障", EmergencyKind.ELEVATOR, "15800.00", True),
    ):
        application = file(kind, title, amount, scope=Scope.BUILDING, building="2" if done else "1")
        services.emergency_certify(user=community, application=application)
        services.emergency_confirm(user=street, application=application)
        services.emergency_approve(user=bureau, application=application)
        if done:
            services.emergency_complete(user=firm, application=application)

    rejected = file(EmergencyKind.COLLAPSE, "小区围墙局部开裂", "3000.00", scope=Scope.COMPOUND)
    services.emergency_reject(
        user=community,
        application=rejected,
        reason="经现场核查，围墙无倒塌危险，请按一般程序申请。",
    )


def _ordinaries(compound: Compound, account: FundAccount, people: dict[str, User]) -> None:
    committee, bureau = people[Role.OWNERS_COMMITTEE], people[Role.BUREAU]
    total_area = account.households.aggregate(a=Sum("floor_area"))["a"].quantize(CENT)
    total_owners = account.households.count()
    long_ago = timezone.localdate() - dt.timedelta(days=30)
    passing = {
        "total_area": total_area,
        "total_owners": total_owners,
        "participating_area": (total_area * Decimal("0.8")).quantize(CENT),
        "participating_owners": total_owners * 4 // 5,
        "yes_area": (total_area * Decimal("0.6")).quantize(CENT),
        "yes_owners": total_owners * 3 // 5,
    }

    def apply(title, budget, start=long_ago):
        return services.ordinary_file(
            user=committee,
            compound=compound,
            title=title,
            items=f"{title}：施工方案及预算详见附件。",
            budget=Decimal(budget),
            scope=Scope.COMPOUND,
            publicity_start=start,
        )

    apply("小区路面修补", "8000.00", start=timezone.localdate())  # still publicised
    apply("地下车库排水泵更换", "6500.00")  # publicity over: the owners' vote is to record
    failed = apply("更换全部单元门禁", "36000.00")
    services.ordinary_record_vote(
        user=committee,
        application=failed,
        **{**passing, "participating_owners": total_owners // 2, "yes_owners": total_owners // 3},
    )
    voted = apply("雨水管网疏通", "4200.00")
    services.ordinary_record_vote(user=committee, application=voted, **passing)

    steps = ("approved", "returned", "first_paid", "accepted", "closed")
    titles = (
        "楼道照明改造",
        "监控系统升级",
        "屋面防水翻新",
        "二次供水水箱清洗改造",
        "消防通道划线及标识",
    )
    for step, title in zip(steps, titles, strict=True):
        application = apply(title, "20000.00")
        services.ordinary_record_vote(user=committee, application=application, **passing)
        services.ordinary_review(
            user=bureau,
            application=application,
            approve=step != "returned",
            comment="预算缺少第三方审核，请补充后重新申请。" if step == "returned" else "",
        )
        if step in ("first_paid", "accepted", "closed"):
            services.ordinary_pay_first(user=bureau, application=application)
        if step in ("accepted", "closed"):
            services.ordinary_accept(
                user=committee, application=application, final_cost=Decimal("19350.00")
            )
        if step == "closed":
            services.ordinary_pay_final(user=bureau, application=application)


def _demo_people() -> dict[str, User]:
    return {u.role: u for u in User.objects.filter(username__startswith="demo_")}


@transaction.atomic
def load_funds_demo(*, people: dict[str, User] | None = None, seed: int = 2024) -> int:
    """Open fund accounts for the demo committee's compound and its neighbours and add
    applications in every state. Returns the number of accounts opened (0 if done before)."""
    people = people or _demo_people()
    committee = people.get(Role.OWNERS_COMMITTEE)
    if committee is None or FundAccount.objects.exists():
        return 0
    rng = random.Random(f"{seed}-funds")
    bureau = people[Role.BUREAU]
    home = committee.compound
    neighbours = list(
        Compound.objects.filter(community__street=home.community.street_id)
        .exclude(pk=home.pk)
        .order_by("code")[: MAX_ACCOUNTS - 1]
    )
    accounts = {c.pk: _open_account(c, bureau, rng) for c in [home, *neighbours]}
    # Interest on the home account only: allocating it on every account costs seconds.
    services.interest_allocate(
        user=bureau, account=accounts[home.pk], amount=Decimal(rng.randrange(50000, 300000)) / 100
    )
    _emergencies(home, people)
    _ordinaries(home, accounts[home.pk], people)
    if neighbours:
        # Years of repairs before the portal brought this account below 30%: top-up needed.
        low = accounts[neighbours[0].pk]
        balance = low.households.aggregate(b=Sum("balance"))["b"].quantize(CENT)
        services.disbursement_post(
            user=bureau,
            account=low,
            amount=(balance * Decimal("0.75")).quantize(CENT),
            scope=Scope.COMPOUND,
            memo="历年维修支出（系统上线前）",
        )
    return len(accounts)


# A plan's items: facility, work, planned month, estimated cost, who pays.
PlanItemSpec = tuple[str, str, int, str, str]
APPROVED_PLAN_ITEMS: list[PlanItemSpec] = [
    ("消防设施", "消火栓、灭火器检测及更换", 3, "8500.00", FundingSource.PROPERTY_FEES),
    ("电梯", "1-3号楼电梯年度维保及钢丝绳更换", 4, "36000.00", FundingSource.FUND),
    ("屋面", "2号楼屋面防水层局部修补", 6, "12800.00", FundingSource.FUND),
    ("供水设施", "二次供水水箱清洗消毒", 9, "4200.00", FundingSource.PROPERTY_FEES),
    ("道路", "小区主干道路面修补", 11, "9600.00", FundingSource.PROPERTY_FEES),
]
# The progress the firm reports on the approved plan, by planned month (the rest: none yet).
APPROVED_PLAN_PROGRESS: dict[int, tuple[str, str]] = {
    3: (ItemProgress.DONE, "已完成，检测报告已存档。"),
    4: (ItemProgress.DONE, "已完成，经特检院检验合格。"),
    6: (ItemProgress.IN_PROGRESS, "已进场施工，受雨季影响延后。"),
    9: (ItemProgress.NOT_STARTED, "等待卫生检测机构排期。"),
}
SUBMITTED_PLAN_ITEMS: list[PlanItemSpec] = [
    ("外墙", "3号楼外墙空鼓瓷砖清理及修补", 5, "15600.00", FundingSource.FUND),
    ("照明", "地下车库照明更换为LED灯具", 7, "6800.00", FundingSource.PROPERTY_FEES),
    ("绿化", "小区绿地补植及树木修剪", 10, "3500.00", FundingSource.OTHER),
]
DRAFT_PLAN_ITEMS: list[PlanItemSpec] = [
    ("监控系统", "周界监控摄像头更换", 4, "11200.00", FundingSource.PROPERTY_FEES),
    ("排水设施", "雨污水管网疏通", 6, "5200.00", FundingSource.PROPERTY_FEES),
]
LAST_YEAR_PLAN_ITEMS: list[PlanItemSpec] = [
    ("消防设施", "消防水泵房设备检修", 4, "7600.00", FundingSource.PROPERTY_FEES),
    ("电梯", "4号楼电梯控制柜更换", 8, "42000.00", FundingSource.FUND),
    ("外墙", "1号楼外墙保温层局部修复", 10, "18500.00", FundingSource.FUND),
]
# Last year's plan: done but for the wall, which slipped into this year (an overdue item).
LAST_YEAR_PLAN_PROGRESS: dict[int, tuple[str, str]] = {
    4: (ItemProgress.DONE, "已完成检修。"),
    8: (ItemProgress.DONE, "已完成更换并通过验收。"),
    10: (ItemProgress.IN_PROGRESS, "冬季停工，待开春后继续施工。"),
}
NEXT_YEAR_PLAN_ITEMS: list[PlanItemSpec] = [
    ("电梯", "1-3号楼电梯年度维保", 3, "36000.00", FundingSource.FUND),
    ("道路", "小区道路沥青罩面", 7, "58000.00", FundingSource.FUND),
]
RETURNED_PLAN_ITEMS: list[PlanItemSpec] = [
    ("屋面", "全部楼栋屋面防水翻新", 5, "260000.00", FundingSource.FUND),
]


@dataclass(frozen=True)
class PlanSpec:
    compound: int  # which of the firm's compounds (those in the demo street first)
    year: int  # this year + year
    items: list[PlanItemSpec]
    status: str
    progress: dict[int, tuple[str, str]] | None = None


# A plan in every state a to-do list shows: drafts, returned, waiting for the street and
# for the bureau, approved with progress, and last year's with an overdue item.
PLAN_SPECS = [
    PlanSpec(0, 0, APPROVED_PLAN_ITEMS, PlanStatus.APPROVED, APPROVED_PLAN_PROGRESS),
    PlanSpec(1, 0, SUBMITTED_PLAN_ITEMS, PlanStatus.SUBMITTED),
    PlanSpec(2, 1, DRAFT_PLAN_ITEMS, PlanStatus.DRAFT),
    PlanSpec(0, -1, LAST_YEAR_PLAN_ITEMS, PlanStatus.APPROVED, LAST_YEAR_PLAN_PROGRESS),
    PlanSpec(0, 1, NEXT_YEAR_PLAN_ITEMS, PlanStatus.STREET_PASSED),
    PlanSpec(1, 1, RETURNED_PLAN_ITEMS, PlanStatus.RETURNED),
]


def _plan(user: User, compound: Compound, year: int, items: list[PlanItemSpec]) -> MaintenancePlan:
    plan = services.plan_create(user=user, compound=compound, year=year)
    for facility, work, month, cost, source in items:
        services.plan_item_add(
            user=user,
            plan=plan,
            facility=facility,
            work=work,
            planned_month=month,
            estimated_cost=Decimal(cost),
            funding_source=source,
        )
    return plan


def _plan_through(spec: PlanSpec, plan: MaintenancePlan, people: dict[str, User], today) -> None:
    """Take a drafted plan through the steps up to its status, as the people would."""
    firm, street, bureau = (people[r] for r in (Role.FIRM, Role.STREET, Role.BUREAU))
    if spec.status == PlanStatus.DRAFT:
        return
    services.plan_submit(user=firm, plan=plan)
    if spec.status == PlanStatus.SUBMITTED:
        return
    if spec.status == PlanStatus.RETURNED:
        services.plan_street_review(
            user=street, plan=plan, passed=False, comment="预算明显偏高，请附第三方询价后重新申报。"
        )
        return
    services.plan_street_review(user=street, plan=plan, passed=True, comment="同意，报住建局审批。")
    if spec.status == PlanStatus.STREET_PASSED:
        return
    services.plan_bureau_review(user=bureau, plan=plan, approve=True)
    for item in plan.items.order_by("planned_month", "pk"):
        if item.planned_month in (spec.progress or {}):
            progress, note = spec.progress[item.planned_month]
            services.plan_item_progress(
                user=firm,
                item=item,
                progress=progress,
                # Mid-month of the planned month, but never in the future.
                date=min(today, dt.date(plan.year, item.planned_month, 15)),
                note=note,
            )


@transaction.atomic
def load_plans_demo(*, people: dict[str, User] | None = None) -> int:
    """The demo firm's plans (PLAN_SPECS), on its compounds in the demo street first (the
    demo street officer reviews those). Returns the number of plans made (0 if done before)."""
    people = people or _demo_people()
    firm, street, bureau = (people.get(r) for r in (Role.FIRM, Role.STREET, Role.BUREAU))
    if None in (firm, street, bureau) or MaintenancePlan.objects.exists():
        return 0
    today = timezone.localdate()
    compounds = sorted(
        Compound.objects.filter(firm_id=firm.firm_id).select_related("community"),
        key=lambda c: (c.community.street_id != street.street_id, c.code),
    )
    made = 0
    for spec in PLAN_SPECS:
        if spec.compound >= len(compounds):
            continue
        compound = compounds[spec.compound]
        reviewed = spec.status not in (PlanStatus.DRAFT, PlanStatus.SUBMITTED)
        if reviewed and compound.community.street_id != street.street_id:
            continue  # only the demo street's officer reviews in the demo
        plan = _plan(firm, compound, today.year + spec.year, spec.items)
        _plan_through(spec, plan, people, today)
        made += 1
    return made


try:  # the portal's `load_demo` finds this step through autodiscovery
    from portal.demo import DemoContext, demo_step
except ImportError:  # pragma: no cover
    pass
else:

    @demo_step("funds")
    def funds_demo(ctx: DemoContext) -> None:
        opened = load_funds_demo(people=ctx.accounts)
        if opened:
            ctx.notes.append(
                f"Maintenance fund: {opened} accounts; applications at /funds/emergency/ "
                "and /funds/ordinary/, notices at /funds/notices/"
            )

    @demo_step("funds plans")
    def plans_demo(ctx: DemoContext) -> None:
        made = load_plans_demo(people=ctx.accounts)
        if made:
            ctx.notes.append(
                f"Maintenance plans: {made} plans of the demo firm at /funds/plans/ "
                "(approved with progress, waiting for the street and the bureau, returned, "
                "a draft)"
            )
