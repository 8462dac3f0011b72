"""Refusals of bad inputs by the models and services, and the assessment rights."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from credit import services
from credit.models import Assessment, CreditEvent

from .helpers import indicator

YEAR = 2023


def save(compound, score, role="street", user=None):
    return services.assessment_save(
        user=user,
        year=YEAR,
        compound=compound,
        firm=compound.firm,
        indicator=indicator("quality"),
        assessor_role=role,
        score=Decimal(score),
    )


@pytest.mark.parametrize("score", ["100.01", "-1", "85.125"])
def test_bad_scores_are_refused_and_nothing_is_written(compound_a, score):
    with pytest.raises(ValidationError) as refused:
        save(compound_a, score)
    assert "score" in refused.value.message_dict
    assert not Assessment.objects.exists()


def test_the_database_refuses_a_score_above_100(compound_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment.objects.create(
            year=YEAR,
            compound=compound_a,
            firm=compound_a.firm,
            indicator=indicator("quality"),
            assessor_role="street",
            score=Decimal("100.50"),
        )


def test_a_second_submission_replaces_the_score_and_keeps_history(compound_a, street_officer):
    first, created = save(compound_a, "70", user=street_officer)
    second, created_again = save(compound_a, "75.5", user=street_officer)
    assert (created, created_again, first.pk) == (True, False, second.pk)
    assert Assessment.objects.get().score == Decimal("75.50")
    history = list(first.history.order_by("history_date").values_list("score", "history_user"))
    assert history == [(Decimal("70"), street_officer.pk), (Decimal("75.5"), street_officer.pk)]


def test_event_date_outside_the_year_is_refused(firm_a):
    with pytest.raises(ValidationError) as refused:
        services.credit_event_create(
            user=None,
            year=YEAR,
            firm=firm_a,
            kind="bonus",
            points=Decimal(2),
            date=dt.date(2024, 1, 1),
            reason="表彰",
        )
    assert "date" in refused.value.message_dict
    assert not CreditEvent.objects.exists()


def test_negative_points_are_refused(firm_a):
    with pytest.raises(ValidationError):
        services.credit_event_create(
            user=None,
            year=YEAR,
            firm=firm_a,
            kind="deduction",
            points=Decimal(-1),
            date=dt.date(YEAR, 1, 1),
            reason="处罚",
        )


def test_officers_assess_only_their_area_while_the_window_is_open(
    compound_a, compound_b, street_officer, bureau_user
):
    submit = dict(year=YEAR, indicator=indicator("quality"), score=Decimal("80"))
    with pytest.raises(ValidationError) as closed:
        services.assessment_submit(
            user=street_officer, compound=compound_a, firm=compound_a.firm, **submit
        )
    assert closed.value.code == "window_closed"
    services.assessment_window_open(user=bureau_user, year=YEAR)
    services.assessment_submit(
        user=street_officer, compound=compound_a, firm=compound_a.firm, **submit
    )
    with pytest.raises(ValidationError) as outside:
        services.assessment_submit(
            user=street_officer, compound=compound_b, firm=compound_b.firm, **submit
        )
    assert outside.value.code == "not_allowed"
    assert Assessment.objects.get().assessor_role == "street"


def test_owners_committee_rates_satisfaction_of_its_compound_only(
    compound_a, committee_user, bureau_user
):
    services.assessment_window_open(user=bureau_user, year=YEAR)
    common = dict(
        user=committee_user, year=YEAR, compound=compound_a, firm=compound_a.firm, score=Decimal(90)
    )
    services.assessment_submit(indicator=indicator("satisfaction"), **common)
    with pytest.raises(ValidationError):
        services.assessment_submit(indicator=indicator("quality"), **common)


def test_after_the_window_closes_only_bureau_changes_scores_with_a_reason(
    compound_a, bureau_user, community_officer
):
    services.assessment_window_close(user=bureau_user, year=YEAR)
    common = dict(
        year=YEAR,
        compound=compound_a,
        firm=compound_a.firm,
        indicator=indicator("quality"),
        score=Decimal(50),
    )
    with pytest.raises(ValidationError):
        services.assessment_submit(user=community_officer, **common)
    with pytest.raises(ValidationError) as no_reason:
        services.assessment_submit(user=bureau_user, **common)
    assert "reason" in no_reason.value.message_dict
    assessment = services.assessment_submit(user=bureau_user, reason="复核更正", **common)
    assert assessment.history.first().history_change_reason == "复核更正"
