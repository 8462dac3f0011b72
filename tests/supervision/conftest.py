"""A published red and black list of 2023 (firm A grade A, firm B grade D, a third firm grade
B in street A) and a spot-check plan for 2024 Q3 drawn from it."""

from __future__ import annotations

import datetime as dt

import pytest

from credit import publication as credit_publication
from portal.choices import Role
from supervision import services
from tests.credit.publishing import end_period, open_publicity, rated_run
from tests.factories import UserFactory


@pytest.fixture
def published_list(compound_a, compound_b, bureau_user, django_capture_on_commit_callbacks):
    run = rated_run(compound_a, compound_b, django_capture_on_commit_callbacks)
    publication = end_period(open_publicity(bureau_user, run))
    return credit_publication.publication_publish(user=bureau_user, publication=publication)


@pytest.fixture
def second_bureau_user(db):
    return UserFactory(role=Role.BUREAU, username="bureau2", full_name="刘科员")


@pytest.fixture
def pool(bureau_user, second_bureau_user, street_officer, other_street_officer, community_officer):
    return [
        bureau_user,
        second_bureau_user,
        street_officer,
        other_street_officer,
        community_officer,
    ]


def make_plan(user, pool, **kwargs):
    fields = {
        "name": "2024 Q3",
        "start": dt.date(2024, 7, 1),
        "end": dt.date(2024, 9, 30),
        "checks_per_year": {"A": 1, "B": 2, "C": 4, "D": 12},
        "inspectors": pool,
    } | kwargs
    return services.plan_create(user=user, **fields)


@pytest.fixture
def draft_plan(published_list, bureau_user, pool):
    return make_plan(bureau_user, pool)


@pytest.fixture
def plan(draft_plan, bureau_user):
    return services.plan_publish(user=bureau_user, plan=draft_plan)


@pytest.fixture
def check_b(plan, compound_b):
    """The first of the three checks of compound B (grade D: monthly, so three a quarter)."""
    return plan.checks.get(compound=compound_b, number=1)
