"""The demo's complaints: a year of 12345 hotline orders for the demo city (2024, a few hundred,
matched by compound code or name, some by a clerk's remembered match, a few awaiting a clerk),
answered and verified in every state; and recent ones of the demo community and the demo firm
waiting for an answer or a verification, some overdue. Written through the services."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from zoneinfo import ZoneInfo

from django.utils import timezone

from portal.choices import Role
from portal.demo import DemoContext, demo_step

from . import services
from .choices import Verification
from .imports import HotlineImporter
from .models import AddressMatch, Complaint

BEIJING = ZoneInfo("Asia/Shanghai")
DAY = dt.timedelta(days=1)
HOUR = dt.timedelta(hours=1)
YEAR = 2024
HOTLINE_ORDERS = 320
CATEGORIES = [
    ("物业服务质量", "物业人员服务态度差，报修无人理会。"),
    ("电梯故障", "电梯频繁停运，有老人被困。"),
    ("二次供水", "自来水发黄有异味，水箱长期未清洗。"),
    ("环境卫生", "垃圾清运不及时，楼道堆满杂物。"),
    ("停车管理", "小区车位乱收费，外来车辆占用消防通道。"),
    ("噪音扰民", "夜间装修噪音扰民，物业不制止。"),
    ("漏水渗水", "楼顶漏水渗到家中，多次报修未修复。"),
    ("物业收费", "物业费上涨未公示收支情况。"),
    ("绿化养护", "公共绿地被毁，无人养护。"),
    ("安保门禁", "门禁损坏多月未修，陌生人随意进出。"),
]
ANSWERS = [
    "已安排维修人员上门处理。",
    "已与业主沟通并整改完毕。",
    "已清运垃圾并加强巡查。",
    "已公示收支明细并答复业主。",
    "已协调相关单位处理。",
]
UNMATCHED = ["建设路与人民路交叉口东北角", "老火车站宿舍区后院", "滨河花园（原纺织厂宿舍）"]


def _hotline_order(number: str, received: dt.datetime, address: str, code: str, rng) -> dict:
    category, text = rng.choice(CATEGORIES)
    return {
        "order_number": number,
        "received_at": received,
        "address": address,
        "compound_code": code,
        "category": category,
        "text": text,
        "handling_unit": "市住房和城乡建设局",
    }


def _settle(
    complaint: Complaint, firm_users, community_users, rng, *, late: bool, verification: str | None
) -> None:
    """The firm's answer (on time or late) and the community's verification, when given."""
    if not complaint.firm_id:
        return
    firm_user = firm_users.get(complaint.firm_id)
    community_user = community_users.get(complaint.compound.community_id)
    if firm_user is None:
        return
    received = complaint.received_at
    answered = received + (rng.randint(9, 14) if late else rng.randint(0, 4)) * DAY + 3 * HOUR
    services.complaint_answer(
        user=firm_user, complaint=complaint, answer=rng.choice(ANSWERS), now=answered
    )
    if verification and community_user is not None:
        note = "" if verification == Verification.RESOLVED else "业主反映问题仍未解决。"
        services.complaint_verify(
            user=community_user,
            complaint=complaint,
            verification=verification,
            note=note,
            now=answered + rng.randint(1, 4) * DAY,
        )


@demo_step("complaints")
def complaints_step(ctx: DemoContext) -> None:
    from django.contrib.auth import get_user_model

    User = get_user_model()
    rng = ctx.rng("complaints")
    bureau = ctx.accounts[Role.BUREAU]
    firm_account = ctx.accounts[Role.FIRM]
    community_account = ctx.accounts[Role.COMMUNITY]
    served = [c for c in ctx.compounds if c.firm_id]
    names = Counter(c.name for c in ctx.compounds)
    # The actors: the demo firm and community, and the first user of every other firm and
    # community (the demo's other accounts), else the order waits unanswered.
    firm_users = {
        u.firm_id: u for u in User.objects.filter(role=Role.FIRM, is_active=True).order_by("pk")
    }
    firm_users.setdefault(firm_account.firm_id, firm_account)
    firm_users[firm_account.firm_id] = firm_account
    community_users = {
        u.community_id: u
        for u in User.objects.filter(role=Role.COMMUNITY, is_active=True).order_by("pk")
    }
    community_users[community_account.community_id] = community_account
    # The year's orders concentrate on the compounds whose firm and community have accounts.
    active = [c for c in served if c.firm_id in firm_users and c.community_id in community_users]
    pool = (active * 4 + served)[: max(len(active) * 4, 60)] or served
    # Clerks matched three addresses by hand last year: remembered.
    remembered = {}
    for k, compound in enumerate(rng.sample(pool, min(3, len(pool)))):
        address = f"{compound.name[:2]}片区{k + 7}号院"
        AddressMatch.objects.get_or_create(
            address=address, defaults={"compound": compound, "matched_by": bureau}
        )
        remembered[address] = compound
    start = dt.datetime(YEAR, 1, 2, 8, tzinfo=BEIJING)
    records = []
    for n in range(HOTLINE_ORDERS):
        compound = rng.choice(pool)
        received = start + dt.timedelta(minutes=rng.randint(0, 360 * 24 * 60))
        number = f"12345{received:%Y%m%d}{n:04d}"
        roll = rng.random()
        if roll < 0.45:
            record = _hotline_order(
                number, received, f"{compound.name}{rng.randint(1, 30)}号楼", compound.code, rng
            )
        elif roll < 0.88 and names[compound.name] == 1:
            record = _hotline_order(number, received, compound.name, "", rng)
        elif roll < 0.97 and remembered:
            address = rng.choice(sorted(remembered))
            record = _hotline_order(number, received, address, "", rng)
        else:
            record = _hotline_order(number, received, rng.choice(UNMATCHED), "", rng)
        records.append(record)
    importer = HotlineImporter(user=bureau)
    importer.prepare(records)
    existing = set(Complaint.objects.values_list("order_number", flat=True))
    for record in records:
        if record["order_number"] in existing:
            continue
        complaint = services.hotline_create(
            user=bureau, values=record, compound=importer.match(record), now=record["received_at"]
        )
        roll = rng.random()
        if roll < 0.7:
            _settle(
                complaint,
                firm_users,
                community_users,
                rng,
                late=False,
                verification=Verification.RESOLVED,
            )
        elif roll < 0.82:
            _settle(
                complaint,
                firm_users,
                community_users,
                rng,
                late=True,
                verification=Verification.RESOLVED,
            )
        elif roll < 0.92:
            _settle(
                complaint,
                firm_users,
                community_users,
                rng,
                late=rng.random() < 0.5,
                verification=Verification.NOT_RESOLVED,
            )
        elif roll < 0.97:
            _settle(complaint, firm_users, community_users, rng, late=False, verification=None)
    recent = _recent(ctx, rng, firm_account, community_account, bureau, firm_users, community_users)
    ctx.notes.append(
        f"complaints: {HOTLINE_ORDERS} hotline orders of {YEAR} "
        f"({Complaint.objects.filter(compound__isnull=True).count()} awaiting a clerk's match at "
        f"/complaints/unmatched/), {recent} recent ones waiting for the demo firm and community; "
        f"suggested petitions scores at /complaints/scores/?year={YEAR}"
    )


def _recent(ctx, rng, firm_account, community_account, bureau, firm_users, community_users) -> int:
    """This month's complaints: the demo firm's to answer (two overdue), the demo community's to
    verify (one overdue), one of each settled."""
    now = timezone.now()
    mine = [c for c in ctx.compounds if c.firm_id == firm_account.firm_id]
    ours = [
        c
        for c in ctx.compounds
        if c.community_id == community_account.community_id and c.firm_id in firm_users
    ]
    count = 0
    plans = [
        (mine, 1 * DAY, None),
        (mine, 2 * DAY, None),
        (mine, 12 * DAY, None),
        (mine, 16 * DAY, None),
        (ours, 2 * DAY, "answer"),
        (ours, 15 * DAY, "answer"),
        (ours, 20 * DAY, "answer-verify"),
        (ours, 25 * DAY, "answer-not"),
    ]
    for compounds, ago, step in plans:
        if not compounds:
            continue
        compound = compounds[count % len(compounds)]
        received = now - ago
        complaint = services.complaint_enter(
            user=bureau,
            compound=compound,
            category=CATEGORIES[count % len(CATEGORIES)][0],
            text=CATEGORIES[count % len(CATEGORIES)][1],
            received_at=received,
            now=received,
        )
        count += 1
        if step is None:
            continue
        firm_user = firm_users.get(complaint.firm_id)
        if firm_user is None:
            continue
        answered = received + DAY
        services.complaint_answer(
            user=firm_user, complaint=complaint, answer=rng.choice(ANSWERS), now=answered
        )
        community_user = community_users.get(compound.community_id)
        if step == "answer-verify" and community_user:
            services.complaint_verify(
                user=community_user,
                complaint=complaint,
                verification=Verification.RESOLVED,
                now=answered + DAY,
            )
        elif step == "answer-not" and community_user:
            services.complaint_verify(
                user=community_user,
                complaint=complaint,
                verification=Verification.NOT_RESOLVED,
                note="漏水问题仍未解决。",
                now=answered + DAY,
            )
    return count
