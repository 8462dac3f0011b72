"""This year's training coverage, counted by hand on a small city: street A and its
community A1 attended this year; street B attended only last year; B2 attended this year."""

from __future__ import annotations

import datetime as dt

import pytest

from training import selectors, services

from .conftest import THIS_YEAR, make_session


@pytest.fixture
def recorded(
    bureau_user,
    session,
    last_year_session,
    street_a,
    street_b,
    community_a,
    community_a2,
    community_b,
    community_b2,
    community_b3,
):
    services.attendance_record(
        user=bureau_user,
        session=session,
        streets=[street_a],
        communities=[community_a, community_b2],
        offered_streets=[street_a, street_b],
        offered_communities=[community_a, community_a2, community_b, community_b2, community_b3],
    )
    # Last year's attendance does not count for this year.
    services.attendance_record(
        user=bureau_user,
        session=last_year_session,
        streets=[street_a, street_b],
        communities=[community_a2, community_b, community_b3],
        offered_streets=[street_a, street_b],
        offered_communities=[community_a2, community_b, community_b3],
    )


def test_the_figures_count_each_street_and_community_once_for_the_year(
    recorded, bureau_user, street_a, community_a, django_assert_num_queries
):
    # A second session of the year attended by A and A1 again: still one street, one community.
    other = make_session(bureau_user, date=dt.date(THIS_YEAR, 9, 1), topic="第二场")
    services.attendance_record(
        user=bureau_user,
        session=other,
        streets=[street_a],
        communities=[community_a],
        offered_streets=[street_a],
        offered_communities=[community_a],
    )
    with django_assert_num_queries(3):
        figures = selectors.coverage(year=THIS_YEAR)
    assert (figures.streets, figures.streets_attended) == (2, 1)
    assert (figures.communities, figures.communities_attended) == (5, 2)
    assert (figures.streets_missing, figures.communities_missing) == (1, 3)
    last = selectors.coverage(year=THIS_YEAR - 1)
    assert (last.streets_attended, last.communities_attended) == (2, 3)


def test_the_bureau_lists_the_missing_streets_and_communities_by_street(
    recorded, bureau_user, street_a, street_b
):
    rows = selectors.missing_for_user(user=bureau_user, year=THIS_YEAR)
    found = {
        row.street.name: (row.attended, [c.name for c in row.missing_communities]) for row in rows
    }
    assert found[street_a.name] == (True, ["A2社区"])
    assert found[street_b.name][0] is False
    assert set(found[street_b.name][1]) == {"西一社区", "B3社区"}
    assert len(found) == 2


def test_a_street_officer_sees_only_their_own_street_missing(
    recorded, street_officer, other_street_officer, street_a, street_b
):
    mine = selectors.missing_for_user(user=street_officer, year=THIS_YEAR)
    assert [row.street for row in mine] == [street_a]
    theirs = selectors.missing_for_user(user=other_street_officer, year=THIS_YEAR)
    assert [row.street for row in theirs] == [street_b]
    assert theirs[0].attended is False


def test_a_street_officers_card_says_whether_the_street_and_which_communities_miss(
    recorded, street_officer, other_street_officer, django_assert_num_queries
):
    with django_assert_num_queries(1):
        attended, missing = selectors.street_status(user=street_officer, year=THIS_YEAR)
    assert attended is True and [c.name for c in missing] == ["A2社区"]
    attended, missing = selectors.street_status(user=other_street_officer, year=THIS_YEAR)
    assert attended is False
    assert "B2社区" not in [c.name for c in missing] and len(missing) == 2
