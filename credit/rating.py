"""The arithmetic of credit-rules.md: pure functions, exact rationals, no database.

The batch (credit.services) feeds these functions with the exact aggregates SQL gives it
(per firm, compound and indicator: the sum and count of the scores and the compound's
households; per firm: the sums of bonus and deduction points and whether a veto exists).
Everything stays exact until the final score is rounded half up to 2 decimals: the batch's
hot path (`rate_firm` on `FirmInputs.rows`) works on integers (scores in cents) and builds a `Fraction` only per
indicator, never per compound; the texts of the breakdown come from integer arithmetic too,
identical to what `fraction_text` and `round_half_up` give.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from math import floor, gcd, lcm
from operator import itemgetter
from typing import Any

from .choices import Grade, NotRatedReason

HUNDRED = Fraction(100)
BASE_PLACES = 6


@dataclass(frozen=True)
class Rules:
    """The parameters of a rule set, by indicator code."""

    weights: Mapping[str, Decimal]
    min_indicators: int = 4
    bonus_cap: Decimal = Decimal("5")
    threshold_a: Decimal = Decimal("90")
    threshold_b: Decimal = Decimal("80")
    threshold_c: Decimal = Decimal("65")
    indicator_order: tuple[str, ...] = ()

    @cached_property
    def integer_weights(self) -> tuple[dict[str, int], int]:
        """The weights times their common denominator, and that denominator."""
        exact = {code: Fraction(weight) for code, weight in self.weights.items()}
        scale = lcm(*(value.denominator for value in exact.values())) if exact else 1
        return {code: int(value * scale) for code, value in exact.items()}, scale

    @cached_property
    def weight_texts(self) -> dict[str, str]:
        return {code: _plain(Decimal(weight)) for code, weight in self.weights.items()}

    @cached_property
    def position(self) -> dict[str, int]:
        return {code: i for i, code in enumerate(self.indicator_order)}


DEFAULT_WEIGHTS = {
    "quality": Decimal("30"),
    "satisfaction": Decimal("20"),
    "contract": Decimal("15"),
    "supervision": Decimal("15"),
    "decisions": Decimal("10"),
    "petitions": Decimal("10"),
}
DEFAULT_RULES = Rules(weights=DEFAULT_WEIGHTS, indicator_order=tuple(DEFAULT_WEIGHTS))


@dataclass(frozen=True)
class Cell:
    """The assessments of one firm at one compound for one indicator, aggregated."""

    indicator: str
    compound_id: int
    households: int
    total: Decimal  # sum of the scores
    count: int  # number of scores
    compound_code: str = ""  # not stored: the breakdown is expanded when shown
    compound_name: str = ""


# A cell as the batch passes it: (indicator code, compound id, households, sum of the scores
# in cents, number of scores).
CellRow = tuple[str, int, int, int, int]


@dataclass
class FirmInputs:
    """Everything the rating of one firm depends on. The batch gives its cells as `rows`
    (tuples, sums in cents: see `CellRow`), without building a `Cell` per row."""

    cells: list[Cell] = field(default_factory=list)
    rows: list[CellRow] = field(default_factory=list)
    bonus: Decimal = Decimal("0")  # sum of bonus points
    deductions: Decimal = Decimal("0")  # sum of deduction points
    vetoed: bool = False


@dataclass
class Result:
    """One firm's rating: score and grade are None when the firm is not rated."""

    score: Decimal | None
    grade: str
    indicators_present: int
    vetoed: bool
    base: Fraction | None
    bonus_raw: Decimal
    bonus_capped: Decimal
    deductions: Decimal
    not_rated_reason: str
    breakdown: dict[str, Any]

    @property
    def is_rated(self) -> bool:
        return self.score is not None


def round_half_up(value: Fraction, places: int = 2) -> Decimal:
    """Round an exact rational half up (away from zero) to `places` decimals."""
    scale = 10**places
    magnitude = floor(abs(value) * scale + Fraction(1, 2))
    result = Decimal(magnitude).scaleb(-places)  # keeps `places` decimals: 81.00, not 81
    return -result if value < 0 else result


def fraction_text(value: Fraction) -> str:
    """An exact decimal string when the fraction terminates, else numerator/denominator."""
    den = value.denominator
    for prime in (2, 5):
        while den % prime == 0:
            den //= prime
    if den == 1:
        text = str(Decimal(value.numerator) / Decimal(value.denominator))
        # Decimal division is exact here but may need more precision than the context's 28.
        if Fraction(Decimal(text)) == value:
            return _plain(Decimal(text))
    return f"{value.numerator}/{value.denominator}"


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


def grade_for(score: Decimal, rules: Rules) -> str:
    if score >= rules.threshold_a:
        return Grade.A
    if score >= rules.threshold_b:
        return Grade.B
    if score >= rules.threshold_c:
        return Grade.C
    return Grade.D


def _order(rules: Rules, codes: Iterable[str]) -> list[str]:
    position = {code: i for i, code in enumerate(rules.indicator_order)}
    return sorted(codes, key=lambda code: (position.get(code, len(position)), code))


def cents_of(value: Decimal) -> int:
    """A sum of scores (2 decimals at most, credit-rules.md) as an exact number of cents."""
    cents = Fraction(value) * 100
    if cents.denominator != 1:
        raise ValueError(f"{value} is not a whole number of cents")
    return cents.numerator


def cents_text(cents: int) -> str:
    """`_plain(Decimal(cents) / 100)` without Decimal: 17050 -> "170.5", 8500 -> "85"."""
    sign, cents = ("-", -cents) if cents < 0 else ("", cents)
    units, rest = divmod(cents, 100)
    if rest == 0:
        return f"{sign}{units}"
    if rest % 10 == 0:
        return f"{sign}{units}.{rest // 10}"
    return f"{sign}{units}.{rest:02d}"


def ratio_text(numerator: int, denominator: int) -> str:
    """`fraction_text(Fraction(numerator, denominator))` in integer arithmetic (denominator > 0):
    the plain decimal when it terminates in at most 28 significant digits (what a Decimal
    division at the default precision represents exactly), else "n/d" in lowest terms."""
    g = gcd(numerator, denominator)
    if g != 1:
        numerator //= g
        denominator //= g
    twos = (denominator & -denominator).bit_length() - 1  # the factors 2, at once
    rest, fives = denominator >> twos, 0
    while rest % 5 == 0:
        rest //= 5
        fives += 1
    if rest != 1:
        return f"{numerator}/{denominator}"
    places = max(twos, fives)
    digits = abs(numerator) * (10**places // denominator)
    text = str(digits)
    if len(text.rstrip("0")) > 28:
        return f"{numerator}/{denominator}"
    sign = "-" if numerator < 0 else ""
    if places == 0:
        return sign + text
    text = text.rjust(places + 1, "0")
    whole, decimals = text[:-places], text[-places:].rstrip("0")
    return f"{sign}{whole}.{decimals}" if decimals else sign + whole


def rounded_text(numerator: int, denominator: int, places: int) -> str:
    """`str(round_half_up(Fraction(numerator, denominator), places))` for a value >= 0."""
    scale = 10**places
    magnitude = (2 * numerator * scale + denominator) // (2 * denominator)
    whole, decimals = divmod(magnitude, scale)
    return f"{whole}.{decimals:0{places}d}" if places else str(whole)


_BY_COMPOUND = itemgetter(1)  # the stored order of a cell's compounds: by id


def _rounded(numerator: int, denominator: int, places: int) -> str:
    if numerator >= 0:
        return rounded_text(numerator, denominator, places)
    return str(round_half_up(Fraction(numerator, denominator), places))  # not from valid scores


def _exact_text(value: Fraction) -> str:
    return ratio_text(value.numerator, value.denominator)


def rate_firm(inputs: FirmInputs, rules: Rules) -> Result:
    """Rate one firm exactly as credit-rules.md says."""
    cells = inputs.rows + [
        (
            cell.indicator,
            cell.compound_id,
            cell.households,
            cents_of(cell.total),
            cell.count,
        )
        for cell in inputs.cells
    ]
    return _rate_rows(
        cells, rules, bonus=inputs.bonus, deductions=inputs.deductions, vetoed=inputs.vetoed
    )


def _rate_rows(
    cells: list[CellRow], rules: Rules, *, bonus: Decimal, deductions: Decimal, vetoed: bool
) -> Result:
    # 1-2. s(c, i) = mean of the scores; S(i) = households-weighted mean of s(c, i).
    weights = rules.weights
    by_indicator: dict[str, list[CellRow]] = {}
    for cell in cells:
        if cell[4] <= 0 or cell[0] not in weights:
            continue  # an indicator without a weight in the rule set does not count
        by_indicator.setdefault(cell[0], []).append(cell)

    indicators: list[dict[str, Any]] = []
    present: dict[str, tuple[int, int]] = {}  # S(i) as (numerator, denominator) in lowest terms
    position = rules.position
    last = len(position)
    for code in sorted(by_indicator, key=lambda code: (position.get(code, last), code)):
        rows = sorted(by_indicator[code], key=_BY_COMPOUND)
        # S(i) = sum(h * cents / (100 n)) / sum(h), over one common denominator of the n.
        common = lcm(*(row[4] for row in rows))
        weighted = 0
        households = 0
        for _code, _compound_id, homes, cents, count in rows:
            weighted += homes * cents * (common // count)
            households += homes
        denominator = 100 * common * households
        if not denominator:
            raise ZeroDivisionError(f"no households behind indicator {code}")
        g = gcd(weighted, denominator)
        present[code] = (weighted // g, denominator // g)
        indicators.append(
            {
                "code": code,
                "weight": rules.weight_texts[code],
                "S": ratio_text(weighted, denominator),
                # [compound id, households, sum of the scores in cents, number of scores]
                "compounds": [[row[1], row[2], row[3], row[4]] for row in rows],
            }
        )

    bonus_raw = Decimal(bonus)
    bonus_capped = min(bonus_raw, Decimal(rules.bonus_cap))
    deductions = Decimal(deductions)
    # What the rating stores: compact, nothing that can be recomputed from it
    # (`expand_breakdown` gives the texts the page shows).
    breakdown: dict[str, Any] = {
        "indicators": indicators,
        "min_indicators": rules.min_indicators,
        "bonus_raw": _plain(bonus_raw),
        "bonus_cap": _plain(Decimal(rules.bonus_cap)),
        "bonus_capped": _plain(bonus_capped),
        "deductions": _plain(deductions),
    }

    # 3. Too few indicators: not rated.
    if len(present) < rules.min_indicators:
        breakdown["not_rated_reason"] = str(NotRatedReason.FEW_INDICATORS)
        return Result(
            score=None,
            grade="",
            indicators_present=len(present),
            vetoed=vetoed,
            base=None,
            bonus_raw=bonus_raw,
            bonus_capped=bonus_capped,
            deductions=deductions,
            not_rated_reason=NotRatedReason.FEW_INDICATORS,
            breakdown=breakdown,
        )

    # 4. Base = weighted mean over the present indicators (weights renormalised), in
    # integers: sum(W(i) * S(i)) / sum(W(i)) with W the weights times a common scale.
    integer_weights, _scale = rules.integer_weights
    weight_sum = sum(integer_weights[code] for code in present)
    common = lcm(*(den for _num, den in present.values()))
    base = Fraction(
        sum(integer_weights[code] * num * (common // den) for code, (num, den) in present.items()),
        common * weight_sum,
    )
    # 5. Final = base + capped bonus - deductions, clamped to [0, 100], rounded half up.
    base_num, base_den = base.numerator, base.denominator
    bonus_num, bonus_den = bonus_capped.as_integer_ratio()
    minus_num, minus_den = deductions.as_integer_ratio()
    final = Fraction(
        (base_num * bonus_den + bonus_num * base_den) * minus_den
        - minus_num * base_den * bonus_den,
        base_den * bonus_den * minus_den,
    )
    if final.numerator < 0:
        clamped = Fraction(0)
    elif final > HUNDRED:
        clamped = HUNDRED
    else:
        clamped = final
    magnitude = (200 * clamped.numerator + clamped.denominator) // (2 * clamped.denominator)
    score = Decimal(magnitude).scaleb(-2)  # = round_half_up(clamped, 2): clamped >= 0
    # 6. Grade from the rounded score; a veto forces D and keeps the score.
    grade = Grade.D if vetoed else grade_for(score, rules)
    breakdown.update(
        {
            "base": ratio_text(base_num, base_den),
            "final_exact": _exact_text(final),
            "grade_from_score": grade_for(score, rules),
        }
    )
    return Result(
        score=score,
        grade=grade,
        indicators_present=len(present),
        vetoed=vetoed,
        base=base,
        bonus_raw=bonus_raw,
        bonus_capped=bonus_capped,
        deductions=deductions,
        not_rated_reason="",
        breakdown=breakdown,
    )


def expand_breakdown(
    breakdown: Mapping[str, Any], compounds: Mapping[int, tuple[str, str]]
) -> dict[str, Any]:
    """A stored breakdown with the texts the "why this grade" page shows, recomputed from
    its exact values: per indicator S rounded, its households, its compounds (with code and
    name from `compounds`, by id: (code, name)) in the order of their codes, each with its
    sum, s(c, i) exact and rounded; the base rounded, the sum of the present weights, the
    final score clamped and rounded. Scores are rounded to 2 places, as every page shows them
    (the exact values are kept beside them). Breakdowns stored in the former, expanded shape
    (compounds as dictionaries) pass through."""
    expanded: dict[str, Any] = dict(breakdown)
    indicators = []
    weights_present = Fraction(0)
    for indicator in breakdown.get("indicators", []):
        rows = []
        for entry in indicator.get("compounds", []):
            if isinstance(entry, Mapping):
                rows.append(dict(entry))
                continue
            compound_id, homes, cents, count = entry
            code, name = compounds.get(compound_id, ("", ""))
            rows.append(
                {
                    "compound_id": compound_id,
                    "code": code,
                    "name": name,
                    "households": homes,
                    "sum": cents_text(cents),
                    "count": count,
                    "s": ratio_text(cents, 100 * count),
                    "s_display": _rounded(cents, 100 * count, 2),
                }
            )
        rows.sort(key=lambda row: (row["code"], row["compound_id"]))
        exact = Fraction(indicator["S"])
        weights_present += Fraction(indicator["weight"])
        indicators.append(
            {
                "S_display": _rounded(exact.numerator, exact.denominator, 2),
                "households": sum(row["households"] for row in rows),
                **indicator,
                "compounds": rows,
            }
        )
    expanded["indicators"] = indicators
    expanded.setdefault("weights_present", _exact_text(weights_present))
    if breakdown.get("base") is not None and "final_exact" in breakdown:
        base = Fraction(breakdown["base"])
        final = Fraction(breakdown["final_exact"])
        clamped = min(max(final, Fraction(0)), HUNDRED)
        expanded.setdefault("base_display", _rounded(base.numerator, base.denominator, 2))
        expanded.setdefault("clamped", _exact_text(clamped))
        expanded.setdefault("score", str(round_half_up(clamped, 2)))
    return expanded


def rank_order(rated: Iterable[tuple[Any, Decimal, str]]) -> list[Any]:
    """Keys of the rated firms in rank order: score descending, then credit code ascending.
    `rated` yields (key, score, credit_code)."""
    return [key for key, _score, _code in sorted(rated, key=lambda r: (-r[1], r[2]))]


def base_display(base: Fraction | None) -> Decimal | None:
    return None if base is None else round_half_up(base, BASE_PLACES)
