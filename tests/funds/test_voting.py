from __future__ import annotations

from decimal import Decimal

import pytest

from funds.voting import VoteFigures, VoteInputError, check_article_278


def figures(**overrides) -> VoteFigures:
    values = {
        "total_area": Decimal("300.00"),
        "total_owners": 30,
        "participating_area": Decimal("200.00"),
        "participating_owners": 20,
        "yes_area": Decimal("100.01"),
        "yes_owners": 11,
    }
    values.update(overrides)
    return VoteFigures(**values)


def test_exactly_two_thirds_participation_is_enough():
    result = check_article_278(figures())
    assert result.participation_area_ok and result.participation_owners_ok
    assert result.passed


def test_just_under_two_thirds_of_the_area_fails():
    result = check_article_278(figures(participating_area=Decimal("199.99")))
    assert not result.participation_area_ok
    assert not result.passed
    assert result.reasons


def test_just_under_two_thirds_of_the_owners_fails():
    # 2/3 of 31 owners is 20.67: 20 participants are not enough, 21 are.
    assert not check_article_278(figures(total_owners=31)).participation_owners_ok
    assert check_article_278(
        figures(total_owners=31, participating_owners=21)
    ).participation_owners_ok


def test_exactly_half_is_not_more_than_half():
    by_area = check_article_278(figures(yes_area=Decimal("100.00")))
    assert not by_area.approval_area_ok and not by_area.passed
    by_owners = check_article_278(figures(yes_owners=10))
    assert not by_owners.approval_owners_ok and not by_owners.passed


def test_one_cent_and_one_owner_over_half_pass():
    result = check_article_278(figures(yes_area=Decimal("100.01"), yes_owners=11))
    assert result.passed


def test_raising_the_fund_needs_three_quarters_of_participants():
    assert not check_article_278(figures(), raises_fund=True).passed
    exactly = figures(yes_area=Decimal("150.00"), yes_owners=15)
    assert check_article_278(exactly, raises_fund=True).passed
    under = figures(yes_area=Decimal("149.99"), yes_owners=15)
    assert not check_article_278(under, raises_fund=True).approval_area_ok
    under_owners = figures(yes_area=Decimal("150.00"), yes_owners=14)
    assert not check_article_278(under_owners, raises_fund=True).approval_owners_ok


def test_nobody_taking_part_fails_without_dividing_by_zero():
    result = check_article_278(
        figures(
            participating_area=Decimal("0"),
            participating_owners=0,
            yes_area=Decimal("0"),
            yes_owners=0,
        )
    )
    assert not result.passed


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"yes_area": Decimal("200.01")}, "yes_area"),
        ({"yes_owners": 21}, "yes_owners"),
        ({"participating_area": Decimal("300.01")}, "participating_area"),
        ({"participating_owners": 31}, "participating_owners"),
        ({"yes_area": Decimal("-1")}, "yes_area"),
        (
            {
                "total_area": Decimal("0"),
                "participating_area": Decimal("0"),
                "yes_area": Decimal("0"),
            },
            "total_area",
        ),
    ],
)
def test_impossible_figures_are_refused_naming_the_field(overrides, field):
    with pytest.raises(VoteInputError) as exc:
        check_article_278(figures(**overrides))
    assert field in exc.value.errors
