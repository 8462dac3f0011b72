"""The suggested petitions score against the worked example of docs/petitions-score.md."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from complaints.score import Parameters, suggested_score

DOC = Path(__file__).resolve().parents[2] / "docs" / "petitions-score.md"


def test_the_docs_worked_example_word_for_word():
    # Compound 幸福里 has 1,200 households. In 2024 it had 9 complaints; the firm answered 7 of
    # them on time and the community verified 6 as resolved. The year uses the default parameters.
    result = suggested_score(
        households=1200, complaints=9, on_time=7, resolved=6, params=Parameters()
    )
    assert result.rate == Decimal("7.50")
    assert result.volume_points == Decimal("5.00")
    assert result.late_points == Decimal("6.67")
    assert result.unresolved_points == Decimal("10.00")
    assert result.score == Decimal("78.33")
    text = DOC.read_text(encoding="utf-8")
    assert "The suggested score is **78.33**" in text
    assert "1,200 households. In 2024 it had 9 complaints" in text
    assert "answered 7 of them\non time and the community verified 6 as resolved" in text


def test_defaults_are_the_docs_defaults():
    assert Parameters() == Parameters(
        start=Decimal(100), threshold=Decimal(5), k1=Decimal(2), k2=Decimal(30), k3=Decimal(30)
    )


def test_no_complaint_keeps_the_start_and_the_score_stays_within_0_and_100():
    assert suggested_score(
        households=500, complaints=0, on_time=0, resolved=0, params=Parameters()
    ).score == Decimal("100.00")
    worst = suggested_score(
        households=10, complaints=50, on_time=0, resolved=0, params=Parameters()
    )
    assert worst.score == Decimal("0.00")


def test_rounding_is_half_up_at_the_end_only():
    # 100 − 30 × 1/8 = 96.25 exactly; − 30 × 1/8 again: 92.5 → 92.50
    result = suggested_score(
        households=10000, complaints=8, on_time=7, resolved=7, params=Parameters()
    )
    assert result.score == Decimal("92.50")
    params = Parameters(k2=Decimal("0.015"), k3=Decimal(0))
    # 100 − 0.015 × 1/3 = 99.995 → 100.00 (half up), never 99.99
    result = suggested_score(households=10000, complaints=3, on_time=2, resolved=3, params=params)
    assert result.score == Decimal("100.00")
