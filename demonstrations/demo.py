"""The demo's 红心物业 demonstration projects: an approval behind each of the 76 compounds the
companies demo made demonstration projects (so the workbench's count rests on approvals), and
applications of the demo community and street at every step: waiting for the community (one
overdue), for the street, for the bureau, one not recommended (the demo firm's) and one
refused. The lists of the approvals' years are published. Times are counted back from the
load."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from companies.models import Compound
from portal.choices import Role
from portal.demo import DEMO_REASON, DemoContext, demo_step
from portal.models import User
from portal.services import record_save

from . import services
from .choices import STANDARD_KEYS, State
from .models import Application

DAY = dt.timedelta(days=1)
BEIJING = ZoneInfo("Asia/Shanghai")


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=BEIJING)


def approvals_behind_red_heart(*, bureau: User | None, rng) -> list[Application]:
    """An approved application for each compound marked a demonstration project that has
    none: of its year, by its firm, recommended and approved in that spring."""
    backed = Application.objects.filter(state=State.APPROVED).values("compound_id")
    compounds = (
        Compound.objects.red_heart()
        .filter(firm__isnull=False)
        .exclude(pk__in=backed)
        .order_by("pk")
    )
    rows = []
    for compound in compounds:
        year = compound.red_heart_year
        submitted = dt.date(year, 3, 2) + DAY * rng.randrange(0, 20)
        rows.append(
            Application(
                compound=compound,
                firm_id=compound.firm_id,
                year=year,
                state=State.APPROVED,
                party_org=f"{compound.name}党支部",
                standards=list(STANDARD_KEYS),
                satisfaction=Decimal(rng.randrange(900, 990)) / 10,
                description="党建引领，红色物业，业主满意度调查结果良好。",
                submitted_at=_at(submitted, 9),
                community_at=_at(submitted + 5 * DAY, 10),
                street_at=_at(submitted + 12 * DAY, 10),
                decided_at=_at(submitted + 26 * DAY, 15),
                decided_by=bureau,
                decision_note="经审核，同意列为红心物业示范项目。",
            )
        )
    return bulk_create_with_history(
        rows, Application, batch_size=500, default_user=bureau, default_change_reason=DEMO_REASON
    )


def _helper(username: str, full_name: str, role: str, **scope) -> User:
    """An officer or firm clerk who does not sign in (the story needs their steps)."""
    user = User(username=username, full_name=full_name, role=role, **scope)
    user.set_unusable_password()
    return record_save(user, user=None, reason=DEMO_REASON)


@demo_step("red-heart demonstrations")
def demonstrations_demo(ctx: DemoContext) -> None:
    rng = ctx.rng("demonstrations")
    bureau = ctx.accounts.get(Role.BUREAU)
    approved = approvals_behind_red_heart(bureau=bureau, rng=rng)
    for year in sorted({a.year for a in approved}):
        services.list_publish(user=bureau, year=year, now=_at(dt.date(year, 6, 30), 10))

    community_officer = ctx.accounts[Role.COMMUNITY]
    street_officer = ctx.accounts[Role.STREET]
    demo_firm = ctx.accounts[Role.FIRM]
    street_id = street_officer.street_id
    candidates = list(
        Compound.objects.filter(
            community__street_id=street_id,
            firm__isnull=False,
            has_party_org=True,
            red_heart_year__isnull=True,
        )
        .select_related("community", "firm")
        .order_by("pk")
    )
    if not candidates:
        return
    firm_users: dict[int, User] = {demo_firm.firm_id: demo_firm}
    communities: dict[int, User] = {community_officer.community_id: community_officer}

    def firm_user(compound):
        if compound.firm_id not in firm_users:
            firm_users[compound.firm_id] = _helper(
                f"red_heart_firm_{compound.firm_id}",
                f"{compound.firm.name} 经理",
                Role.FIRM,
                firm=compound.firm,
            )
        return firm_users[compound.firm_id]

    def community_of(compound):
        if compound.community_id not in communities:
            communities[compound.community_id] = _helper(
                f"red_heart_community_{compound.community_id}",
                f"{compound.community.name} 网格员",
                Role.COMMUNITY,
                community=compound.community,
            )
        return communities[compound.community_id]

    now = timezone.now()
    year = timezone.localdate().year

    def apply(compound, ago):
        return services.application_submit(
            user=firm_user(compound),
            compound=compound,
            year=year,
            party_org=f"{compound.name}党支部",
            standards=STANDARD_KEYS,
            satisfaction=Decimal(rng.randrange(880, 980)) / 10,
            description="物业服务中心设党员先锋岗，每月开展“红色物业”议事会。",
            now=now - ago,
        )

    # The demo firm's own compound, first: the community has let it wait past its deadline.
    own = [c for c in candidates if c.firm_id == demo_firm.firm_id]
    others = [c for c in candidates if c.firm_id != demo_firm.firm_id]
    ordered = own + others
    in_community = [c for c in ordered if c.community_id == community_officer.community_id]
    rest = [c for c in ordered if c.community_id != community_officer.community_id]
    queue = in_community + rest
    steps = ["overdue", "community", "street", "bureau", "refused", "returned"]
    for step, compound in zip(steps, queue, strict=False):
        if step == "overdue":
            apply(compound, 14 * DAY)
            continue
        if step == "community":
            apply(compound, 1 * DAY)
            continue
        application = apply(compound, 20 * DAY)
        community = community_of(compound)
        if step == "returned":
            services.community_recommend(
                user=community,
                application=application,
                recommend=False,
                note="业主满意度调查样本不足，请补充调查材料后再申报。",
                now=now - 16 * DAY,
            )
            continue
        services.community_recommend(
            user=community, application=application, recommend=True, now=now - 17 * DAY
        )
        if step == "street":
            continue
        services.street_recommend(
            user=street_officer,
            application=application,
            recommend=True,
            note="同意推荐。",
            now=now - 12 * DAY,
        )
        if step == "refused":
            services.application_decide(
                user=bureau,
                application=application,
                approve=False,
                note="该项目本年度有两起有效投诉未办结，暂不列为示范项目。",
                now=now - 3 * DAY,
            )
    # The demo firm sees one of its applications not recommended (a compound of its own in
    # another community when it has one there, else the first of the street's others).
    elsewhere = (
        Compound.objects.filter(
            firm_id=demo_firm.firm_id, has_party_org=True, red_heart_year__isnull=True
        )
        .exclude(demonstration_applications__year=year)
        .select_related("community", "firm")
        .order_by("pk")
        .first()
    )
    if elsewhere is not None:
        application = apply(elsewhere, 20 * DAY)
        services.community_recommend(
            user=community_of(elsewhere),
            application=application,
            recommend=False,
            note="小区党支部尚未按期换届，请完善后再申报。",
            now=now - 16 * DAY,
        )
