"""The demo's training: last year's and this year's sessions, the two handbooks of 2023
(《吉林市物业管理手册》, 《业主大会、业主委员会业务指导手册》) as small PDFs, attendance of
most streets and communities with a few streets and some communities missing this year (the
demo street attended, one of its communities did not), and some firms (the demo firm at one
of this year's two sessions)."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from portal.choices import Role
from portal.demo import DEMO_REASON, DemoContext, demo_step

from . import services
from .models import Attendance
from .pdf import text_pdf

HANDBOOK = "吉林市物业管理手册"
COMMITTEE_HANDBOOK = "业主大会、业主委员会业务指导手册"
STREETS_MISSING = 3
COMMUNITIES_MISSING = 14


def _handbook(title: str, year: int) -> SimpleUploadedFile:
    pdf = text_pdf(
        [title, f"市住房和城乡建设局 编 · {year}年", "（演示材料）", "第一章 总则", "第二章 职责"]
    )
    return SimpleUploadedFile(f"handbook-{year}.pdf", pdf, content_type="application/pdf")


def _date(year: int, month: int, day: int, today: dt.date) -> dt.date:
    """A date of this year not after today (the demo is loaded on any day)."""
    return max(dt.date(year, 1, 1), min(dt.date(year, month, day), today))


@demo_step("training")
def training_demo(ctx: DemoContext) -> None:
    rng = ctx.rng("training")
    bureau = ctx.accounts[Role.BUREAU]
    today = timezone.localdate()
    year = today.year
    street_officer = ctx.accounts[Role.STREET]
    demo_firm = ctx.accounts[Role.FIRM].firm
    organiser = "市住房和城乡建设局物业科"
    place = "市住建局三楼会议室"

    def session(topic: str, date: dt.date, description: str, handbooks: list[str]):
        row = services.session_save(
            user=bureau,
            topic=topic,
            date=date,
            organiser=organiser,
            place=place,
            description=description,
        )
        for title in handbooks:
            services.material_add(
                user=bureau, session=row, title=title, file=_handbook(title, 2023)
            )
        return row

    last_law = session(
        "物业管理法律法规专题培训",
        dt.date(year - 1, 4, 18),
        "面向全市街道（乡镇）、社区物业管理工作人员：《民法典》物业服务合同、《吉林省物业管理条例》。",
        [HANDBOOK],
    )
    last_committee = session(
        "业主大会、业主委员会业务指导培训",
        dt.date(year - 1, 9, 12),
        "业主大会筹备、业主委员会选举与备案、物业管理委员会组建。",
        [COMMITTEE_HANDBOOK],
    )
    main = session(
        "物业管理法律法规和专题业务培训",
        _date(year, 3, 20, today),
        "年度培训：物业监管属地职责、社区预警与街道吹哨、住宅专项维修资金应急使用。",
        [HANDBOOK, COMMITTEE_HANDBOOK],
    )
    firms_session = session(
        "红心物业示范项目创建培训",
        _date(year, 6, 15, today),
        "面向物业服务企业：党建引领、服务标准、业主满意度。",
        [],
    )

    streets = list(ctx.streets)
    communities = list(ctx.communities)
    demo_street = street_officer.street
    demo_community = ctx.accounts[Role.COMMUNITY].community
    # This year: a few streets (never the demo street) and some communities missing; in
    # the demo street, a community other than the demo community's.
    others = [s for s in streets if s.pk != demo_street.pk]
    streets_missing = {s.pk for s in rng.sample(others, STREETS_MISSING)}
    own = [c for c in communities if c.street_id == demo_street.pk and c.pk != demo_community.pk]
    rest = [c for c in communities if c.street_id != demo_street.pk]
    communities_missing = {c.pk for c in rng.sample(rest, COMMUNITIES_MISSING - len(own[:1]))}
    communities_missing |= {c.pk for c in own[:1]}
    firms = [f for f in ctx.firms if f.pk != demo_firm.pk]

    rows = []
    for s in streets:
        rows.append(Attendance(session=last_law, street=s, recorded_by=bureau))
        if s.pk not in streets_missing:
            rows.append(Attendance(session=main, street=s, recorded_by=bureau))
    for c in communities:
        if rng.random() < 0.97:
            rows.append(Attendance(session=last_law, community=c, recorded_by=bureau))
        if rng.random() < 0.6:
            rows.append(Attendance(session=last_committee, community=c, recorded_by=bureau))
        if c.pk not in communities_missing:
            rows.append(Attendance(session=main, community=c, recorded_by=bureau))
    for f in [demo_firm, *rng.sample(firms, min(40, len(firms)))]:
        rows.append(Attendance(session=main, firm=f, recorded_by=bureau))
    for f in rng.sample(firms, min(25, len(firms))):
        rows.append(Attendance(session=firms_session, firm=f, recorded_by=bureau))
    bulk_create_with_history(
        rows, Attendance, default_user=bureau, default_change_reason=DEMO_REASON
    )
