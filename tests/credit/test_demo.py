"""The credit demo: exactly the 252 demo firms rated for 2023, with A and D among them."""

from __future__ import annotations

from companies.demo import build_city
from credit.choices import RunStatus
from credit.demo import load_credit_demo
from credit.models import CreditEvent, RatingRun
from credit.selectors import run_summary
from portal.demo import DEMO_SEED, STEPS, DemoContext


def test_demo_rates_exactly_252_firms_with_a_realistic_spread(
    db, django_capture_on_commit_callbacks
):
    # The registry steps of the city only: other apps' steps are not ours to test.
    ctx = DemoContext(seed=DEMO_SEED, plan=build_city(DEMO_SEED))
    for name in ("areas", "registry"):
        STEPS[name](ctx)
    with django_capture_on_commit_callbacks(execute=True):
        assert load_credit_demo(year=2023, rate=True) > 0
    assert load_credit_demo(year=2023) == 0  # a second load changes nothing
    run = RatingRun.objects.get(year=2023)
    assert run.status == RunStatus.FINISHED, run.error
    summary = run_summary(run)
    assert (summary.rated, summary.not_rated) == (252, 0)
    grades = summary.grades
    assert grades["A"] >= 5 and grades["D"] >= 2 and grades["B"] > grades["A"]
    assert summary.vetoed == 2
    assert CreditEvent.objects.filter(kind="bonus").count() == 14
