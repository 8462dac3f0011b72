"""The suggested petitions score (业主信访处理) of a compound for a year, from its complaints:
docs/petitions-score.md writes the formula out with a worked example (a test)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

ZERO, HUNDRED, THOUSAND = Decimal(0), Decimal(100), Decimal(1000)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Parameters:
    start: Decimal = Decimal("100")
    threshold: Decimal = Decimal("5")
    k1: Decimal = Decimal("2")
    k2: Decimal = Decimal("30")
    k3: Decimal = Decimal("30")

    @classmethod
    def of(cls, formula) -> Parameters:
        return cls(formula.start, formula.threshold, formula.k1, formula.k2, formula.k3)


@dataclass(frozen=True)
class Derivation:
    households: int
    complaints: int
    on_time: int
    resolved: int
    rate: Decimal  # complaints per 1,000 households, to two decimals (shown)
    volume_points: Decimal
    late_points: Decimal
    unresolved_points: Decimal
    score: Decimal


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def suggested_score(
    *, households: int, complaints: int, on_time: int, resolved: int, params: Parameters
) -> Derivation:
    """score = start − k1 × max(0, rate − threshold) − k2 × (n − on_time)/n − k3 × (n − resolved)/n,
    with rate = n × 1000 / households; bounded 0..100, rounded half up to two decimals only at
    the end (the parts shown are rounded for reading)."""
    n = Decimal(complaints)
    rate = n * THOUSAND / Decimal(households) if households else ZERO
    volume = params.k1 * max(ZERO, rate - params.threshold)
    late = params.k2 * (n - on_time) / n if complaints else ZERO
    unresolved = params.k3 * (n - resolved) / n if complaints else ZERO
    score = min(HUNDRED, max(ZERO, params.start - volume - late - unresolved))
    return Derivation(
        households=households,
        complaints=complaints,
        on_time=on_time,
        resolved=resolved,
        rate=_cents(rate),
        volume_points=_cents(volume),
        late_points=_cents(late),
        unresolved_points=_cents(unresolved),
        score=_cents(score),
    )
