"""Demo data of the credit app: the 2023 assessments of every firm, a few credit events,
and (in load_demo) a rating run, so that exactly the 252 demo firms are rated."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from simple_history.utils import bulk_create_with_history

from companies.models import Compound
from portal.demo import DEMO_REASON, DEMO_SEED, DemoContext, demo_step, stream

from . import services
from .choices import AssessorRole, EventKind
from .models import Assessment, CreditEvent

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
        services.rating_run_start(user=None, year=year)  # runs once the demo is committed
    return len(rows)


@demo_step("credit")
def credit_step(ctx: DemoContext) -> None:
    written = load_credit_demo(year=2023, seed=ctx.seed, rate=True)
    # The next year's window is open, so officers can try the assessment grid.
    services.assessment_window_open(user=ctx.accounts["bureau"], year=2024)
    ctx.notes.append(
        f"credit: {written} assessments of 2023; the rating of 2023 was started; "
        "the assessment window of 2024 is open."
    )
