"""The worked example of credit-rules.md, word for word, through the models and the batch."""

from __future__ import annotations

from decimal import Decimal

import pytest

from credit import selectors
from credit.choices import Grade, RunStatus
from credit.models import Rating
from tests.factories import CompoundFactory, FirmFactory

from .helpers import assess, event, rate

YEAR = 2023


@pytest.fixture
def firm_f(db):
    """Firm F manages compounds X (300 households) and Z (100 households)."""
    firm = FirmFactory(name="F")
    x = CompoundFactory(firm=firm, households=300, name="X")
    z = CompoundFactory(firm=firm, households=100, name="Z")
    assess(YEAR, x, firm, "quality", "street", 90)
    assess(YEAR, x, firm, "quality", "community", 80)
    assess(YEAR, z, firm, "quality", "street", 95)
    assess(YEAR, x, firm, "satisfaction", "owners_committee", 88)
    assess(YEAR, x, firm, "contract", "street", 70)
    assess(YEAR, z, firm, "supervision", "bureau", 60)
    event(YEAR, firm, "bonus", 2)
    event(YEAR, firm, "bonus", 4)
    event(YEAR, firm, "deduction", 3)
    return firm


def test_worked_example_rates_firm_f_81_19_grade_b(
    firm_f, django_capture_on_commit_callbacks, django_assert_num_queries
):
    run = rate(YEAR, django_capture_on_commit_callbacks)

    assert run.status == RunStatus.FINISHED
    assert (run.total, run.done) == (1, 1)
    rating = Rating.objects.get(run=run, firm=firm_f)
    assert rating.score == Decimal("81.19")
    assert rating.grade == Grade.B
    assert rating.indicators_present == 4
    assert rating.vetoed is False
    assert rating.rank == 1
    assert rating.base == Decimal("79.1875")
    assert (rating.bonus_raw, rating.bonus_capped, rating.deductions) == (6, 5, 3)
    s = {row["code"]: row["S"] for row in rating.breakdown.document["indicators"]}
    assert s == {"quality": "87.5", "satisfaction": "88", "contract": "70", "supervision": "60"}
    with django_assert_num_queries(2):  # the breakdown, the compounds' codes and names
        shown = selectors.rating_breakdown_for_display(rating)
    assert (shown["base_display"], shown["score"], shown["weights_present"]) == (
        "79.19",
        "81.19",
        "80",
    )
    quality = shown["indicators"][0]
    assert (quality["S_display"], quality["households"]) == ("87.50", 400)
    assert [(c["households"], c["s"], c["count"]) for c in quality["compounds"]] == [
        (300, "85", 2),
        (100, "95", 1),
    ]
    assert rating.breakdown.document["base"] == "79.1875"
    assert rating.breakdown.document["final_exact"] == "81.1875"


def test_worked_example_with_a_veto_keeps_81_19_and_gives_d(
    firm_f, django_capture_on_commit_callbacks
):
    event(YEAR, firm_f, "veto", reason="重大安全事故")

    run = rate(YEAR, django_capture_on_commit_callbacks)

    rating = Rating.objects.get(run=run, firm=firm_f)
    assert (rating.score, rating.grade, rating.vetoed) == (Decimal("81.19"), Grade.D, True)
