"""The arithmetic of credit-rules.md (credit/rating.py), without a database."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from credit.rating import (
    DEFAULT_RULES,
    Cell,
    FirmInputs,
    Rules,
    expand_breakdown,
    rank_order,
    rate_firm,
    round_half_up,
)


def cell(indicator, score, *, compound=1, households=100, count=1) -> Cell:
    return Cell(
        indicator=indicator,
        compound_id=compound,
        households=households,
        total=Decimal(str(score)),
        count=count,
    )


def four(score=80) -> list[Cell]:
    return [cell(code, score) for code in ("quality", "satisfaction", "contract", "supervision")]


def test_worked_example_word_for_word():
    # Firm F manages X (300 households) and Z (100 households).
    inputs = FirmInputs(
        cells=[
            cell(
                "quality", 90 + 80, compound=1, households=300, count=2
            ),  # street 90, community 80
            cell("quality", 95, compound=2, households=100),
            cell("satisfaction", 88, compound=1, households=300),
            cell("contract", 70, compound=1, households=300),
            cell("supervision", 60, compound=2, households=100),
        ],
        bonus=Decimal("6"),  # 2 + 4, capped at 5
        deductions=Decimal("3"),
    )
    result = rate_firm(inputs, DEFAULT_RULES)
    s = {row["code"]: row["S"] for row in result.breakdown["indicators"]}
    assert s == {"quality": "87.5", "satisfaction": "88", "contract": "70", "supervision": "60"}
    assert result.indicators_present == 4
    assert result.base == Fraction(6335, 80) == Fraction("79.1875")
    assert result.bonus_capped == 5
    assert result.breakdown["final_exact"] == "81.1875"
    assert (result.score, result.grade) == (Decimal("81.19"), "B")

    inputs.vetoed = True
    vetoed = rate_firm(inputs, DEFAULT_RULES)
    assert (vetoed.score, vetoed.grade, vetoed.vetoed) == (Decimal("81.19"), "D", True)


def test_fewer_indicators_than_the_minimum_is_not_rated():
    result = rate_firm(FirmInputs(cells=four()[:3], bonus=Decimal(5)), DEFAULT_RULES)
    assert (result.score, result.grade, result.indicators_present) == (None, "", 3)
    assert result.not_rated_reason == "few_indicators"


def test_a_vetoed_firm_that_is_not_rated_keeps_no_grade():
    result = rate_firm(FirmInputs(cells=four()[:2], vetoed=True), DEFAULT_RULES)
    assert (result.score, result.grade, result.vetoed) == (None, "", True)


def test_bonus_is_capped_and_deductions_are_not():
    result = rate_firm(
        FirmInputs(cells=four(80), bonus=Decimal("12.5"), deductions=Decimal("7.25")), DEFAULT_RULES
    )
    assert result.score == Decimal("77.75")  # 80 + 5 - 7.25


@pytest.mark.parametrize(
    ("score", "bonus", "deductions", "expected"),
    [(98, 5, 0, "100.00"), (3, 0, 10, "0.00"), (100, 5, 1, "100.00")],
)
def test_final_is_clamped_to_0_100(score, bonus, deductions, expected):
    inputs = FirmInputs(cells=four(score), bonus=Decimal(bonus), deductions=Decimal(deductions))
    assert rate_firm(inputs, DEFAULT_RULES).score == Decimal(expected)


def test_clamping_happens_before_rounding_and_the_deduction_applies_to_the_clamped_sum():
    # 98 + 5 = 103 - 4 = 99: deductions count before the clamp, not after it.
    inputs = FirmInputs(cells=four(98), bonus=Decimal(5), deductions=Decimal(4))
    assert rate_firm(inputs, DEFAULT_RULES).score == Decimal("99.00")


def test_rounding_is_half_up_at_the_third_decimal():
    # Two compounds of equal size scoring 80.01 and 80.00 give S(i) = 80.005 exactly.
    cells = [
        cell(code, "80.01", compound=1)
        for code in ("quality", "satisfaction", "contract", "supervision")
    ]
    cells += [cell("quality", "80.00", compound=2)]
    cells += [
        cell(code, "80.00", compound=2) for code in ("satisfaction", "contract", "supervision")
    ]
    result = rate_firm(FirmInputs(cells=cells), DEFAULT_RULES)
    assert result.base == Fraction("80.005")
    assert result.score == Decimal("80.01")  # not banker's 80.00
    assert round_half_up(Fraction("64.995")) == Decimal("65.00")
    assert round_half_up(Fraction("64.9949999")) == Decimal("64.99")


def test_grade_comes_from_the_rounded_score():
    # base 89.995 rounds to 90.00: grade A.
    cells = [cell("quality", "89.99", compound=1), cell("quality", "90.00", compound=2)]
    cells += [cell(c, "89.99", compound=1) for c in ("satisfaction", "contract", "supervision")]
    cells += [cell(c, "90.00", compound=2) for c in ("satisfaction", "contract", "supervision")]
    result = rate_firm(FirmInputs(cells=cells), DEFAULT_RULES)
    assert (result.score, result.grade) == (Decimal("90.00"), "A")


@pytest.mark.parametrize(
    ("score", "grade"),
    [("90", "A"), ("89.99", "B"), ("80", "B"), ("79.99", "C"), ("65", "C"), ("64.99", "D")],
)
def test_thresholds(score, grade):
    assert rate_firm(FirmInputs(cells=four(score)), DEFAULT_RULES).grade == grade


def test_weights_are_renormalised_over_the_present_indicators():
    cells = [
        cell("quality", 90),
        cell("satisfaction", 60),
        cell("decisions", 80),
        cell("petitions", 70),
    ]
    result = rate_firm(FirmInputs(cells=cells), DEFAULT_RULES)
    # (30*90 + 20*60 + 10*80 + 10*70) / 70
    assert result.base == Fraction(30 * 90 + 20 * 60 + 10 * 80 + 10 * 70, 70)
    assert result.score == Decimal("77.14")
    assert result.breakdown["base"] == "540/7"  # not a terminating decimal: kept exact


def test_household_weighting_and_mean_of_roles():
    cells = [
        cell("quality", 60 + 70 + 80, compound=1, households=1, count=3),  # s = 70
        cell("quality", 100, compound=2, households=2),  # s = 100
    ] + [cell(c, 90) for c in ("satisfaction", "contract", "supervision")]
    result = rate_firm(FirmInputs(cells=cells), DEFAULT_RULES)
    quality = result.breakdown["indicators"][0]
    assert quality["S"] == "90"  # (1*70 + 2*100) / 3
    # Stored compactly: [compound id, households, sum in cents, count]; s is shown recomputed.
    assert quality["compounds"] == [[1, 1, 21000, 3], [2, 2, 10000, 1]]
    shown = expand_breakdown(result.breakdown, {1: ("C1", "一"), 2: ("C2", "二")})
    assert [(c["name"], c["s"]) for c in shown["indicators"][0]["compounds"]] == [
        ("一", "70"),
        ("二", "100"),
    ]


def test_custom_rule_set_parameters():
    rules = Rules(
        weights={"quality": Decimal(1), "satisfaction": Decimal(3)},
        min_indicators=2,
        bonus_cap=Decimal(0),
        threshold_a=Decimal(95),
        threshold_b=Decimal(85),
        threshold_c=Decimal(50),
    )
    cells = [cell("quality", 80), cell("satisfaction", 100), cell("contract", 0)]
    result = rate_firm(FirmInputs(cells=cells, bonus=Decimal(3)), rules)
    assert (result.score, result.grade, result.indicators_present) == (Decimal("95.00"), "A", 2)


def test_ranking_by_score_then_credit_code():
    rated = [
        ("b", Decimal("80"), "9122"),
        ("a", Decimal("80"), "9111"),
        ("c", Decimal("90.1"), "9199"),
    ]
    assert rank_order(rated) == ["c", "a", "b"]
