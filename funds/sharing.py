"""Splitting an amount among households by weight, exactly to the cent (pure functions).

Used for a repair's cost (weights: floor areas) and for interest (weights: balances).
Each household first gets its share rounded down to the cent; the cents left over go one
each to the households with the largest cut-off fractions, ties broken by the key, so
the shares always sum exactly to the amount and the same input always gives the same
split.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from decimal import ROUND_FLOOR, Decimal

CENT = Decimal("0.01")


class SharingError(ValueError):
    """The amount cannot be split (no weight, a negative weight, or a bad amount)."""


def to_cents(amount: Decimal) -> int:
    if not isinstance(amount, Decimal):
        raise SharingError("amounts are Decimal, never float")
    if amount != amount.quantize(CENT):
        raise SharingError("amounts have at most two decimals")
    return int(amount * 100)


def split_by_weight(
    amount: Decimal, weights: Sequence[tuple[Hashable, Decimal]]
) -> dict[Hashable, Decimal]:
    """Share `amount` among the keys in proportion to their weights.

    The result maps every key (in the order given) to a Decimal with two decimals;
    the values sum exactly to `amount`.
    """
    total_cents = to_cents(amount)
    if total_cents < 0:
        raise SharingError("the amount cannot be negative")
    if not weights:
        raise SharingError("nobody to share among")
    if any(w < 0 for _, w in weights):
        raise SharingError("weights cannot be negative")
    total_weight = sum((w for _, w in weights), Decimal(0))
    if total_weight <= 0:
        raise SharingError("the weights sum to zero")

    floors: dict[Hashable, int] = {}
    fractions: list[tuple[Decimal, Hashable]] = []
    for key, weight in weights:
        exact = Decimal(total_cents) * weight / total_weight
        floor = int(exact.to_integral_value(rounding=ROUND_FLOOR))
        floors[key] = floor
        fractions.append((exact - floor, key))
    left = total_cents - sum(floors.values())
    # Largest fraction first; equal fractions go to the smaller key (deterministic).
    fractions.sort(key=lambda item: (-item[0], _sortable(item[1])))
    for _fraction, key in fractions[:left]:
        floors[key] += 1
    return {key: (Decimal(cents) / 100).quantize(CENT) for key, cents in floors.items()}


def _sortable(key: Hashable) -> tuple:
    return key if isinstance(key, tuple) else (key,)
