"""The demo: the workbench's 红心物业 count (76) rests on approvals, one behind each marked
compound, and the demo community and street have applications at every step."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import reverse

from companies.coverage import coverage_counts_by_street
from companies.models import Compound
from demonstrations import selectors
from demonstrations.choices import State
from demonstrations.models import Application
from portal.models import User
from tests.demo import load_demo_for_tests


@pytest.fixture(scope="module")
def demo_city(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo_for_tests()
        yield
        transaction.set_rollback(True)


def test_the_76_demonstration_projects_are_each_backed_by_an_approval(demo_city, db):
    marked = Compound.objects.red_heart()
    assert marked.count() == 76
    assert sum(row["red_heart"] for row in coverage_counts_by_street().values()) == 76
    approved = Application.objects.filter(state=State.APPROVED)
    assert approved.count() == 76
    assert set(approved.values_list("compound_id", "year")) == set(
        marked.values_list("pk", "red_heart_year")
    )
    assert all(a.firm_id == a.compound.firm_id for a in approved.select_related("compound"))


def test_the_demo_has_applications_at_every_step(demo_city, db):
    street = User.objects.get(username="demo_street")
    states = set(
        Application.objects.filter(compound__community__street_id=street.street_id).values_list(
            "state", flat=True
        )
    )
    assert states >= {
        State.SUBMITTED,
        State.COMMUNITY_OK,
        State.STREET_OK,
        State.RETURNED,
        State.REFUSED,
    }


@pytest.mark.parametrize("role", ["community", "street", "bureau", "firm"])
def test_each_role_has_its_red_heart_to_do_on_the_demo(role, demo_city, db):
    from django.utils import timezone

    user = User.objects.get(username=f"demo_{role}")
    summary = selectors.waiting_summary(user=user, today=timezone.localdate())
    assert summary["count"] >= 1, role


def test_the_demo_communitys_overdue_application_is_red(demo_city, db):
    from django.utils import timezone

    user = User.objects.get(username="demo_community")
    assert selectors.waiting_summary(user=user, today=timezone.localdate())["overdue"] >= 1


def test_the_public_list_of_2023_lists_its_31_projects(demo_city, client, db):
    page = client.get(reverse("demonstrations:public_year", args=[2023]))
    assert page.status_code == 200
    assert page.content.decode().count("<tr>") == 31 + 1
