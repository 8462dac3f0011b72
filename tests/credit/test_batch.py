"""The rating batch: set-based chunks, idempotence, finishing once, ranking, refusals."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from companies.models import Compound, Firm
from credit import services
from credit.choices import RunStatus
from credit.models import Assessment, Rating, RatingBreakdown, RatingRun
from tests.concurrency import run_at_once
from tests.factories import CommunityFactory, CompoundFactory, FirmFactory, make_credit_code

from .helpers import assess, event, indicator, rate

YEAR = 2023
CODES = ("quality", "satisfaction", "contract", "supervision")


def make_firms(n: int, *, offset: int = 50_000) -> list[int]:
    """n firms, each with one compound assessed on four indicators, written in bulk."""
    community = CommunityFactory()
    firms = Firm.objects.bulk_create(
        Firm(credit_code=make_credit_code(offset + i), name=f"批量物业{i}") for i in range(n)
    )
    compounds = Compound.objects.bulk_create(
        Compound(
            code=f"B{offset + i}",
            name=f"批量小区{i}",
            community=community,
            households=50 + i,
            floor_area=Decimal("1000"),
            firm=firm,
        )
        for i, firm in enumerate(firms)
    )
    indicators = [indicator(code) for code in CODES]
    Assessment.objects.bulk_create(
        Assessment(
            year=YEAR,
            compound=compound,
            firm=compound.firm,
            indicator=ind,
            assessor_role="street",
            score=Decimal(60 + (i * 7 + j) % 40),
        )
        for i, compound in enumerate(compounds)
        for j, ind in enumerate(indicators)
    )
    return [firm.pk for firm in firms]


def new_run(total: int) -> RatingRun:
    rule_set = services.rule_set_for_year(user=None, year=YEAR)
    return RatingRun.objects.create(
        year=YEAR, rule_set=rule_set, status=RunStatus.RUNNING, total=total
    )


def snapshot(run: RatingRun) -> list[tuple]:
    return list(
        Rating.objects.filter(run=run)
        .order_by("firm_id")
        .values_list(
            "firm_id",
            "score",
            "grade",
            "rank",
            "indicators_present",
            "vetoed",
            "base",
            "bonus_raw",
            "bonus_capped",
            "deductions",
            "breakdown__document",
            "not_rated_reason",
        )
    )


def test_a_chunk_makes_the_same_number_of_queries_for_10_and_200_firms(db):
    firm_ids = make_firms(400)
    run = new_run(total=400)
    with CaptureQueriesContext(connection) as small:
        services.rating_chunk_rate(run_id=run.pk, firm_ids=firm_ids[:10])
    with CaptureQueriesContext(connection) as large:
        services.rating_chunk_rate(run_id=run.pk, firm_ids=firm_ids[10:210])
    # PostgreSQL: one more, the chunk's work_mem; ratings and breakdowns go in by COPY there.
    expected = 13 if connection.vendor == "postgresql" else 12
    assert len(small.captured_queries) == len(large.captured_queries) == expected
    run.refresh_from_db()
    assert (run.status, run.done) == (RunStatus.RUNNING, 210)


def test_a_chunk_run_twice_gives_identical_results_and_the_run_finishes_once(db):
    firm_ids = make_firms(30)
    event(YEAR, Firm.objects.get(pk=firm_ids[3]), "bonus", 3)
    run = new_run(total=30)

    services.rating_chunk_rate(run_id=run.pk, firm_ids=firm_ids[:20])
    first = snapshot(run)
    services.rating_chunk_rate(run_id=run.pk, firm_ids=firm_ids[:20])  # delivered again
    assert snapshot(run) == first
    run.refresh_from_db()
    assert (run.status, run.done) == (RunStatus.RUNNING, 20)

    services.rating_chunk_rate(run_id=run.pk, firm_ids=firm_ids[20:])
    run.refresh_from_db()
    assert (run.status, run.done) == (RunStatus.FINISHED, 30)
    finished_at, final = run.finished_at, snapshot(run)
    assert sorted(r[3] for r in final) == list(range(1, 31))

    services.rating_chunk_rate(run_id=run.pk, firm_ids=firm_ids[20:])  # redelivered late
    run.refresh_from_db()
    assert run.finished_at == finished_at
    assert snapshot(run) == final


def test_a_rerun_after_a_lost_chunk_resumes_and_matches_a_clean_run(
    db, django_capture_on_commit_callbacks
):
    firm_ids = make_firms(25)
    clean = rate(YEAR, django_capture_on_commit_callbacks)
    # A run whose worker died after one chunk: resume enqueues only the missing firms.
    broken = new_run(total=25)
    services.rating_chunk_rate(run_id=broken.pk, firm_ids=firm_ids[:7])
    assert services.rating_run_resume(run=broken) == 18
    broken.refresh_from_db()
    assert broken.status == RunStatus.FINISHED
    assert snapshot(broken) == snapshot(clean)


def test_ranking_is_by_score_then_credit_code_and_not_rated_firms_have_no_rank(
    db, django_capture_on_commit_callbacks
):
    late = FirmFactory(credit_code=make_credit_code(900))
    early = FirmFactory(credit_code=make_credit_code(100))
    best = FirmFactory(credit_code=make_credit_code(500))
    unrated = FirmFactory(credit_code=make_credit_code(1))
    for firm, score in ((late, 80), (early, 80), (best, 90)):
        compound = CompoundFactory(firm=firm)
        for code in CODES:
            assess(YEAR, compound, firm, code, "street", score)
    assess(YEAR, CompoundFactory(firm=unrated), unrated, "quality", "street", 100)

    run = rate(YEAR, django_capture_on_commit_callbacks)

    ranks = dict(Rating.objects.filter(run=run).values_list("firm_id", "rank"))
    assert ranks == {best.pk: 1, early.pk: 2, late.pk: 3, unrated.pk: None}


def test_multiple_assessor_roles_are_averaged_before_household_weighting(
    db, django_capture_on_commit_callbacks
):
    firm = FirmFactory()
    small = CompoundFactory(firm=firm, households=1)
    large = CompoundFactory(firm=firm, households=3)
    for role, score in (("street", 60), ("community", 70), ("owners_committee", 80)):
        assess(YEAR, small, firm, "quality", role, score)  # s = 70
    assess(YEAR, large, firm, "quality", "bureau", 90)  # s = 90
    for code in CODES[1:]:
        assess(YEAR, large, firm, code, "street", 85)

    run = rate(YEAR, django_capture_on_commit_callbacks)

    rating = Rating.objects.get(run=run)
    assert rating.breakdown.document["indicators"][0]["S"] == "85"  # (1*70 + 3*90) / 4
    assert rating.score == Decimal("85.00")


def test_a_second_active_run_of_a_year_is_refused(db):
    make_firms(3)
    first = services.rating_run_start(user=None, year=YEAR)  # chunks not run: stays pending
    with pytest.raises(ValidationError) as refused:
        services.rating_run_start(user=None, year=YEAR)
    assert refused.value.code == "run_active"
    assert RatingRun.objects.filter(year=YEAR).count() == 1
    # The database refuses it too, whatever the service checked.
    with pytest.raises(IntegrityError), transaction.atomic():
        RatingRun.objects.create(year=YEAR, rule_set=first.rule_set, status=RunStatus.RUNNING)


def test_another_run_may_start_after_the_first_ended(db, django_capture_on_commit_callbacks):
    make_firms(3)
    rate(YEAR, django_capture_on_commit_callbacks)
    second = rate(YEAR, django_capture_on_commit_callbacks)
    assert second.status == RunStatus.FINISHED
    assert RatingRun.objects.filter(year=YEAR, status=RunStatus.FINISHED).count() == 2


def test_a_failed_run_keeps_its_error_and_frees_the_year(db):
    make_firms(2)
    run = services.rating_run_start(user=None, year=YEAR)
    assert services.rating_run_fail(run_id=run.pk, error="worker exploded")
    run.refresh_from_db()
    assert (run.status, run.error) == (RunStatus.FAILED, "worker exploded")
    assert not services.rating_run_fail(run_id=run.pk, error="again")  # ended already
    services.rating_run_start(user=None, year=YEAR)


def test_nothing_to_rate_is_refused(db):
    with pytest.raises(ValidationError) as refused:
        services.rating_run_start(user=None, year=2011)
    assert refused.value.code == "no_assessments"


def test_a_year_without_a_rule_set_gets_a_copy_of_the_latest_earlier_one(db):
    base = services.rule_set_for_year(user=None, year=2023)
    services.rule_set_update(user=None, rule_set=base, bonus_cap=Decimal("3"))
    copy = services.rule_set_for_year(user=None, year=2025)
    assert copy.bonus_cap == Decimal("3")
    assert {w.indicator.code: w.weight for w in copy.weights.all()}["quality"] == Decimal("30")


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite serialises the two writers on the file"
)
def test_a_chunk_delivered_twice_at_the_same_moment_is_rated_once():
    firm_ids = make_firms(30)
    run = new_run(total=60)  # not finished by this chunk: the progress is what counts

    results = run_at_once(
        lambda: services.rating_chunk_rate(run_id=run.pk, firm_ids=firm_ids),
        lambda: services.rating_chunk_rate(run_id=run.pk, firm_ids=firm_ids),
    )

    assert results == [None, None]
    run.refresh_from_db()
    assert (run.status, run.done, run.error) == (RunStatus.RUNNING, 30, "")
    assert Rating.objects.filter(run=run).count() == 30
    assert RatingBreakdown.objects.filter(rating__run=run).count() == 30
