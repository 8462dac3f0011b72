from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from funds.sharing import SharingError, split_by_weight


def test_shares_sum_to_the_cent_with_the_leftover_cent_going_deterministically():
    shares = split_by_weight(
        Decimal("100.00"), [(1, Decimal("1")), (2, Decimal("1")), (3, Decimal("1"))]
    )
    assert sum(shares.values()) == Decimal("100.00")
    # 33.333.. each: the leftover cent goes to the smallest key among equal fractions.
    assert shares == {1: Decimal("33.34"), 2: Decimal("33.33"), 3: Decimal("33.33")}
    again = split_by_weight(
        Decimal("100.00"), [(3, Decimal("1")), (2, Decimal("1")), (1, Decimal("1"))]
    )
    assert again == shares


def test_leftover_cents_go_to_the_largest_fractions():
    shares = split_by_weight(
        Decimal("1.00"), [(1, Decimal("90")), (2, Decimal("110.5")), (3, Decimal("75.25"))]
    )
    assert sum(shares.values()) == Decimal("1.00")
    assert shares == {1: Decimal("0.33"), 2: Decimal("0.40"), 3: Decimal("0.27")}


def test_one_cent_among_many_goes_to_one_household():
    shares = split_by_weight(Decimal("0.01"), [(k, Decimal("50")) for k in range(1, 6)])
    assert shares[1] == Decimal("0.01")
    assert sum(shares.values()) == Decimal("0.01")


@pytest.mark.parametrize(
    ("amount", "weights"),
    [
        (Decimal("1.005"), [(1, Decimal("1"))]),
        (Decimal("-1.00"), [(1, Decimal("1"))]),
        (Decimal("1.00"), []),
        (Decimal("1.00"), [(1, Decimal("0"))]),
        (Decimal("1.00"), [(1, Decimal("-1")), (2, Decimal("3"))]),
        (1.0, [(1, Decimal("1"))]),
    ],
)
def test_impossible_splits_are_refused(amount, weights):
    with pytest.raises(SharingError):
        split_by_weight(amount, weights)


@given(
    cents=st.integers(min_value=0, max_value=10**11),
    areas=st.lists(st.integers(min_value=1, max_value=10**7), min_size=1, max_size=40),
)
def test_shares_always_sum_exactly_and_differ_from_the_exact_share_by_less_than_a_cent(
    cents, areas
):
    amount = Decimal(cents) / 100
    weights = [(i, Decimal(a) / 100) for i, a in enumerate(areas)]
    shares = split_by_weight(amount, weights)
    assert sum(shares.values()) == amount
    total = sum(w for _, w in weights)
    for key, weight in weights:
        exact = amount * weight / total
        assert abs(shares[key] - exact) < Decimal("0.01")
        assert shares[key] == shares[key].quantize(Decimal("0.01"))
