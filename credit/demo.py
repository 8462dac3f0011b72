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
    CreditEvent,
    CreditNotice,
    NoticeKind,
    NoticeStatus,
    Objection,
    ObjectionStatus,
    PublicationVersion,
    Rating,
    RatingRun,
)
from .services.certificates import current_published_grade, verify_path

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
    deadline. Of the black-list firms one answered and was found rectified, one answered and
    awaits the bureau's verdict, and the others have not answered: past their deadline."""
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
    notices = list(
        CreditNotice.objects.filter(publication=listed, kind=NoticeKind.RECTIFICATION).order_by(
            "firm__credit_code"
        )
    )
    for notice, answered in zip(notices, (_local(6, 10, 15), _local(6, 18, 9)), strict=False):
        # Written as they came: the demo has no account of these firms to answer with.
        notice.response = "已完成整改：补充消防设施巡检记录，公开收费明细，业主投诉均已回访办结。"
        notice.responded_at = answered
        notice.status = NoticeStatus.ANSWERED
        record_save(notice, user=None, reason=DEMO_REASON)
    if notices:
        publication.notice_close(
            user=user, notice=notices[0], outcome=NoticeStatus.RECTIFIED, note="现场复查合格。"
        )
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
