"""Demo data of the credit app: the 2023 assessments of every firm, a few credit events, and
(in load_demo) the rating of 2023, published as the seed's city published it in May 2024:
exactly the 252 demo firms are rated, the A firms on the red list, the D firms on the black
list with their rectification notices."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from companies.models import Compound
from portal.demo import DEMO_REASON, DEMO_SEED, DemoContext, demo_step, stream
from portal.models import User
from portal.services import record_save

from . import publication, selectors, services
from .choices import AssessorRole, EventKind, Grade
from .models import (
    Assessment,
    CalendarDay,
    CreditEvent,
    DayKind,
    Objection,
    ObjectionStatus,
    PublicationVersion,
    Rating,
    RatingRun,
    RepairApplication,
)
from .services import repair
from .services.certificates import current_published_grade, verify_path
from .workdays import working_days_after

BONUS_REASONS = ["红心物业示范项目", "市级物业服务示范项目", "行业技能竞赛获奖", "防汛抢险通报表扬"]
DEDUCTION_REASONS = ["行政处罚", "整改通知逾期未整改", "有效投诉（信访核实）", "消防设施维护不到位"]
VETO_REASONS = ["发生重大安全责任事故", "拒不执行应急处置指令造成严重后果"]


def _score(rng: random.Random, level: float) -> Decimal:
    value = min(100.0, max(30.0, rng.gauss(level, 4.0)))
    return Decimal(round(value * 2) / 2).quantize(Decimal("0.01"))  # to the half point


def _date(rng: random.Random, year: int) -> dt.date:
    return dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))


def load_credit_demo(*, year: int = 2023, seed: int = DEMO_SEED, rate: bool = False) -> int:
    """Assess every firm's current compounds on all six indicators for `year` (street and
    bureau always, community for most, the owners' committee on satisfaction where there is
    one), add some bonus, deduction and veto events, and optionally start the rating.
    Does nothing when the year has assessments already. Returns the assessments written."""
    if Assessment.objects.filter(year=year).exists():
        return 0
    rng: random.Random = stream(seed, f"credit-{year}")
    indicators = services.indicators_ensure()
    services.rule_set_for_year(user=None, year=year)
    compounds = list(
        Compound.objects.filter(firm__isnull=False).select_related("firm").order_by("code")
    )
    firms = sorted({c.firm for c in compounds}, key=lambda f: f.credit_code)
    # Each firm's level of service: most good, some excellent (A), a few poor (D).
    level = {firm.pk: min(98.0, max(50.0, rng.gauss(81.0, 7.5))) for firm in firms}
    rows = []
    for compound in compounds:
        firm_level = level[compound.firm_id] + rng.gauss(0, 2.0)  # compounds differ a little
        for code, indicator in indicators.items():
            roles = [AssessorRole.STREET, AssessorRole.BUREAU]
            if rng.random() < 0.7:
                roles.append(AssessorRole.COMMUNITY)
            if code == "satisfaction" and compound.has_owners_committee:
                roles.append(AssessorRole.OWNERS_COMMITTEE)
            for role in roles:
                rows.append(
                    Assessment(
                        year=year,
                        compound=compound,
                        firm=compound.firm,
                        indicator=indicator,
                        assessor_role=role,
                        score=_score(rng, firm_level),
                    )
                )
    bulk_create_with_history(rows, Assessment, batch_size=1000, default_change_reason=DEMO_REASON)

    events = []
    picked = rng.sample(firms, 26)
    for firm in picked[:14]:
        events.append(
            (firm, EventKind.BONUS, Decimal(rng.choice([1, 2, 3, 4, 6])), rng.choice(BONUS_REASONS))
        )
    for firm in picked[14:24]:
        events.append(
            (
                firm,
                EventKind.DEDUCTION,
                Decimal(rng.choice([1, 2, 3, 5, 8])),
                rng.choice(DEDUCTION_REASONS),
            )
        )
    for firm in picked[24:]:
        events.append((firm, EventKind.VETO, Decimal(0), rng.choice(VETO_REASONS)))
    bulk_create_with_history(
        [
            CreditEvent(
                year=year, firm=firm, kind=kind, points=points, date=_date(rng, year), reason=reason
            )
            for firm, kind, points, reason in events
        ],
        CreditEvent,
        default_change_reason=DEMO_REASON,
    )
    if rate:
        # Rated here, not by tasks after the commit: the next step publishes the run.
        services.rating_run_start(user=None, year=year, in_process=True)
    return len(rows)


def _local(month: int, day: int, hour: int, year: int = 2024) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour))


def publish_credit_demo(*, year: int, user: User) -> PublicationVersion:
    """The year's lists as the seed's city published them the next spring: rated on 10 May,
    in publicity from 13 May for the rule set's days (one black-list firm objected and was
    answered), published on 21 May, the notices issued the same day with their rectification
    deadline (their answers, re-inspections and escalation: credit/demo_rectification.py)."""
    run = selectors.latest_finished_run(year=year)
    # The run was rated just now: its times move back with the story it tells.
    RatingRun.objects.filter(pk=run.pk).update(
        started_by=user, started_at=_local(5, 10, 9), finished_at=_local(5, 10, 10)
    )
    listed = publication.publication_create(user=user, run=run, now=_local(5, 13, 9))
    black = list(
        Rating.objects.filter(run=run, grade=Grade.D).select_related("firm").order_by("rank", "pk")
    )
    if black:
        objector = black[-1]
        objection = Objection(
            publication=listed,
            rating=objector,
            firm=objector.firm,
            text="我司对信访处理指标的评分有异议：所涉投诉已于当年办结，请予复核。",
            status=ObjectionStatus.REJECTED,
            filed_at=_local(5, 15, 14),
            answer="经复核，投诉办结时间超过规定时限，评分无误，维持原评价结果。",
            answered_by=user,
            answered_at=_local(5, 17, 16),
        )
        # Written as it was filed: the demo has no account of that firm to file it with.
        bulk_create_with_history([objection], Objection, default_change_reason=DEMO_REASON)
    version = publication.publication_publish(user=user, publication=listed, now=_local(5, 21, 10))
    publication.notices_issue(user=user, publication=listed, now=_local(5, 21, 11))
    # What followed the rectification notices: credit/demo_rectification.py.
    return version


@demo_step("credit")
def credit_step(ctx: DemoContext) -> None:
    bureau = ctx.accounts["bureau"]
    written = load_credit_demo(year=2023, seed=ctx.seed, rate=True)
    version = publish_credit_demo(year=2023, user=bureau)
    # The next year's window is open, so officers can try the assessment grid.
    services.assessment_window_open(user=bureau, year=2024)
    ctx.notes.append(
        f"credit: {written} assessments of 2023, rated; the red and black lists of 2023 are "
        f"published (version {version.number}, /credit/redblack/) with their notices; "
        "the assessment window of 2024 is open."
    )


@demo_step("credit-certificate")
def certificate_step(ctx: DemoContext) -> None:
    """A credit certificate of the demo firm's published grade (else of a red-list firm's), so
    that a fresh demo has one that verifies at its public address."""
    holder = ctx.accounts["firm"]
    firm = holder.firm
    if current_published_grade(firm_id=firm.pk) is None:
        holder = None  # issued by the system: the demo has no account of that firm
        firm = (
            Rating.objects.filter(run__publication_versions__isnull=False, grade=Grade.A)
            .select_related("firm")
            .order_by("-run__year", "rank", "pk")
            .first()
            .firm
        )
    certificate = services.certificate_issue(user=holder, firm=firm)
    ctx.notes.append(
        f"credit: a credit certificate of {firm.name} ({certificate.year}, grade "
        f"{certificate.grade}) verifies at {verify_path(certificate.code)}"
    )


# The demo's working-day calendar: China's statutory holidays of 2026 and their make-up working
# days (调休), as the State Council's notice arranged them (the demo's data: check the notice
# before relying on them). The bureau keeps its own calendar at /credit/calendar/.
HOLIDAYS_2026 = [
    ("元旦", dt.date(2026, 1, 1), dt.date(2026, 1, 3), [dt.date(2026, 1, 4)]),
    (
        "春节",
        dt.date(2026, 2, 15),
        dt.date(2026, 2, 23),
        [dt.date(2026, 2, 14), dt.date(2026, 2, 28)],
    ),
    ("清明节", dt.date(2026, 4, 4), dt.date(2026, 4, 6), []),
    ("劳动节", dt.date(2026, 5, 1), dt.date(2026, 5, 5), [dt.date(2026, 5, 9)]),
    ("端午节", dt.date(2026, 6, 19), dt.date(2026, 6, 21), []),
    ("中秋节", dt.date(2026, 9, 25), dt.date(2026, 9, 27), []),
    (
        "国庆节",
        dt.date(2026, 10, 1),
        dt.date(2026, 10, 7),
        [dt.date(2026, 9, 20), dt.date(2026, 10, 10)],
    ),
]


@demo_step("credit-calendar")
def calendar_step(ctx: DemoContext) -> None:
    days = []
    for name, first, last, workdays in HOLIDAYS_2026:
        for offset in range((last - first).days + 1):
            days.append(
                CalendarDay(date=first + dt.timedelta(days=offset), kind=DayKind.HOLIDAY, name=name)
            )
        days += [
            CalendarDay(date=day, kind=DayKind.WORKDAY, name=f"{name}调休上班") for day in workdays
        ]
    bulk_create_with_history(days, CalendarDay, default_change_reason=DEMO_REASON)
    ctx.notes.append(
        f"credit: {len(days)} holidays and make-up working days of 2026 in the calendar "
        "(/credit/calendar/), on which credit repair deadlines are counted."
    )


REPAIR_TEXT = (
    "我司已完成整改：补齐消防设施巡检和维保记录，公开全部收费项目及标准，"
    "对全部有效投诉逐户回访并办结，整改情况经社区、街道现场核查确认。"
)


def _black_listed_firms(ctx: DemoContext) -> list:
    """The firms on the newest published black list, in rank order, but the demo firm's own."""
    version = repair.newest_version()
    codes = repair.black_listed_codes(version)
    own = ctx.accounts["firm"].firm_id if "firm" in ctx.accounts else None
    return [
        rating.firm
        for rating in Rating.objects.filter(run=version.run, grade=Grade.D)
        .select_related("firm")
        .order_by("rank", "pk")
        if rating.firm.credit_code in codes and rating.firm_id != own
    ]


def _application(firm, *, filed_at: dt.datetime) -> RepairApplication:
    """Written as it was filed: the demo has no account of that firm to apply with."""
    version = repair.black_listing_of(firm)
    days = version.run.rule_set.repair_decision_days
    return record_save(
        RepairApplication(
            publication=version.publication,
            version=version,
            firm=firm,
            rectification=REPAIR_TEXT,
            filed_at=filed_at,
            decide_by=working_days_after(timezone.localdate(filed_at), days),
        ),
        user=None,
        reason=DEMO_REASON,
    )


@demo_step("credit-repair")
def repair_step(ctx: DemoContext) -> None:
    """One black-list firm repaired its credit in July 2024 (the list's version 2 leaves it
    out); another applied two days ago and awaits the bureau's decision."""
    bureau = ctx.accounts["bureau"]
    firms = _black_listed_firms(ctx)
    if len(firms) < 2:
        return
    repaired = _application(firms[0], filed_at=_local(7, 1, 9))
    repair.repair_application_approve(user=bureau, application=repaired, now=_local(7, 4, 15))
    waiting = _application(firms[1], filed_at=timezone.now() - dt.timedelta(days=2))
    ctx.notes.append(
        f"credit: {firms[0].name} repaired its credit (version 2 of the 2023 list, "
        f"/credit/redblack/2023/v2/); {firms[1].name} awaits the decision by "
        f"{waiting.decide_by} (/credit/repairs/{waiting.pk}/)."
    )


# After the steps above: the declarations' and the rectification's steps are registered, and
# so run, after them.
from . import demo_declarations, demo_rectification  # noqa: E402,F401

# isort: split
# The 2022 pilot list, after the rest of the credit demo (credit/demo_listing.py).
from . import demo_listing  # noqa: E402,F401


# isort: split
# Last of the credit demo: the progress of the assessments it wrote, counted once (the triggers
# marked their communities), so that no first page read of the demo recounts them.
@demo_step("credit-progress")
def progress_step(ctx: DemoContext) -> None:
    from .progress import tallies_refresh

    tallies_refresh()
