"""The demo has a department account per department and cases in every state."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.utils import timezone

from cases import selectors
from cases.choices import CaseState
from cases.models import Case
from portal.choices import Role
from portal.demo import DEMO_PASSWORD
from portal.models import Department, User
from tests.demo import load_demo_for_tests


@pytest.fixture(scope="module")
def demo_city(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo_for_tests()
        yield
        transaction.set_rollback(True)


def test_each_department_has_a_demo_account(demo_city, db):
    for department in Department.objects.all():
        user = User.objects.get(username=f"demo_dept_{department.code}")
        assert user.role == Role.DEPARTMENT and user.department == department
        assert user.check_password(DEMO_PASSWORD)
        assert selectors.cases_for_user(user=user).exists(), department.name


def test_the_demo_has_cases_in_every_state(demo_city, db):
    community = User.objects.get(username="demo_community").community
    states = set(Case.objects.filter(compound__community=community).values_list("state", flat=True))
    assert states == set(CaseState.values)
    assert Case.objects.filter(round=2, state=CaseState.RAISED).exists()  # reopened
    assert Case.objects.filter(credit_event__isnull=False).count() == 1


def test_the_demo_has_steps_overdue_and_escalated(demo_city, db):
    bureau = User.objects.get(username="demo_bureau")
    street = User.objects.get(username="demo_street")
    now = timezone.now()
    red = set(selectors.overdue_cases(user=street, now=now))
    assert len(red) >= 2  # a review and the departments' reports past their deadlines
    assert red <= set(selectors.overdue_cases(user=bureau, now=now))


def test_the_demo_has_figures_for_several_streets(demo_city, db):
    months = {(c.raised_at.year, c.raised_at.month) for c in Case.objects.all()}
    streets = {
        row.street.pk
        for year, month in months
        for row in selectors.monthly_figures(year=year, month=month)
    }
    assert len(streets) >= 3
