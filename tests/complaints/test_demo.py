"""The demo has a year of hotline orders, matched in each way, a few awaiting a clerk, and
complaints waiting in every state, some overdue."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from complaints import selectors
from complaints.choices import Source, Verification
from complaints.demo import HOTLINE_ORDERS, YEAR
from complaints.models import AddressMatch, Complaint
from tests.demo import load_demo_for_tests


@pytest.fixture(scope="module")
def demo_city(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo_for_tests()
        yield
        transaction.set_rollback(True)


def test_the_demo_has_a_year_of_hotline_orders_in_every_state(demo_city, db):
    orders = Complaint.objects.filter(source=Source.HOTLINE, received_at__year=YEAR)
    assert orders.count() == HOTLINE_ORDERS
    assert orders.filter(compound__isnull=True).exists()
    assert orders.filter(address__in=AddressMatch.objects.values("address")).exists()
    assert orders.filter(answered_on_time=True).exists()
    assert orders.filter(answered_on_time=False).exists()
    assert orders.filter(verification=Verification.RESOLVED).exists()
    assert orders.filter(verification=Verification.NOT_RESOLVED).exists()
    assert orders.filter(answered_at__isnull=False, verified_at__isnull=True).exists()


def test_the_demo_firm_and_community_have_work_some_overdue(demo_city, db):
    users = get_user_model().objects
    today = timezone.localdate()
    firm = selectors.waiting_work(user=users.get(username="demo_firm"), today=today)["answer"]
    assert firm.count >= 2 and firm.overdue >= 1
    community = selectors.waiting_work(user=users.get(username="demo_community"), today=today)
    assert community["verify"].count >= 1
