"""Demo of how long a listing lasts: the 2022 pilot list (试点), a dozen firms rated and
published in May 2023, whose rule set keeps a vetoed firm on the black list for two years'
publications. The 2022 page shows every firm with why and until when (the 2023 list's
publication ended most listings); the 2023 page shows the vetoed firm still listed, until the
2024 list; the firms' public pages show their listing history over both years."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from companies.models import Compound
from portal.demo import DEMO_REASON, DemoContext, demo_step, stream

from . import publication, selectors, services
from .choices import AssessorRole, EventKind
from .models import Assessment, CreditEvent, Publication, RatingRun
from .services import repair

PILOT_YEAR = 2022
PILOT_FIRMS = 12
VETO_YEARS = 2


def _local(year: int, month: int, day: int, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour))


@demo_step("credit-listing")
def listing_step(ctx: DemoContext) -> None:
    if Publication.objects.filter(year=PILOT_YEAR).exists():
        return
    bureau = ctx.accounts["bureau"]
    newest = repair.newest_version()
    if newest is None:
        return
    # Pilot firms off the 2023 black list, so that the 2023 page shows the 2022 veto apart.
    black = repair.black_listed_codes(newest)
    rng = stream(ctx.seed, f"credit-{PILOT_YEAR}")
    candidates = list(
        Compound.objects.filter(firm__isnull=False)
        .exclude(firm__credit_code__in=black)
        .select_related("firm")
        .order_by("firm__credit_code", "code")
    )
    firms = sorted({c.firm for c in candidates}, key=lambda f: f.credit_code)
    pilot = rng.sample(firms, min(PILOT_FIRMS, len(firms)))
    if len(pilot) < 4:
        return
    rule_set = services.rule_set_for_year(user=bureau, year=PILOT_YEAR)
    services.rule_set_update(user=bureau, rule_set=rule_set, veto_listing_years=VETO_YEARS)
    # Levels: two excellent firms (red list), one poor (black list by its score), the rest
    # good; one good firm is vetoed and one loses points for its deductions.
    levels = [95.0, 93.0, 58.0] + [rng.uniform(72.0, 88.0) for _ in pilot[3:]]
    level = {firm.pk: value for firm, value in zip(pilot, levels, strict=True)}
    indicators = services.indicators_ensure()
    rows = [
        Assessment(
            year=PILOT_YEAR,
            compound=compound,
            firm=compound.firm,
            indicator=indicator,
            assessor_role=role,
            score=Decimal(round(min(100.0, level[compound.firm_id] + rng.gauss(0, 1.5)) * 2) / 2),
        )
        for compound in candidates
        if compound.firm_id in level
        for indicator in indicators.values()
        for role in (AssessorRole.STREET, AssessorRole.BUREAU)
    ]
    bulk_create_with_history(rows, Assessment, batch_size=1000, default_change_reason=DEMO_REASON)
    vetoed, deducted = pilot[3], pilot[4]
    events = [
        CreditEvent(
            year=PILOT_YEAR,
            firm=vetoed,
            kind=EventKind.VETO,
            date=dt.date(PILOT_YEAR, 8, 17),
            reason="发生重大安全责任事故（电梯困人致伤）",
        ),
        CreditEvent(
            year=PILOT_YEAR,
            firm=deducted,
            kind=EventKind.DEDUCTION,
            points=Decimal(20),
            date=dt.date(PILOT_YEAR, 4, 9),
            reason="行政处罚：擅自挪用专项维修资金",
        ),
    ]
    bulk_create_with_history(events, CreditEvent, default_change_reason=DEMO_REASON)
    services.rating_run_start(user=None, year=PILOT_YEAR, in_process=True)
    run = selectors.latest_finished_run(year=PILOT_YEAR)
    RatingRun.objects.filter(pk=run.pk).update(
        started_by=bureau,
        started_at=_local(2023, 5, 8, 9),
        finished_at=_local(2023, 5, 8, 10),
    )
    listed = publication.publication_create(user=bureau, run=run, now=_local(2023, 5, 10, 9))
    version = publication.publication_publish(
        user=bureau, publication=listed, now=_local(2023, 5, 18, 10)
    )
    ctx.notes.append(
        f"credit: the {PILOT_YEAR} pilot list is published (/credit/redblack/{PILOT_YEAR}/, "
        f"version {version.number}); its rule set keeps a veto listed for {VETO_YEARS} years, "
        f"so {vetoed.name} is still on the black list of the 2023 page (/credit/redblack/)."
    )
