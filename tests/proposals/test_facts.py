"""Figures offered to a reply from the credit and funds apps."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from credit import services as credit_services
from credit.choices import RunStatus
from credit.models import Rating, RatingRun
from funds.choices import EmergencyStatus, Scope
from funds.models import EmergencyApplication, OrdinaryApplication
from proposals.facts import facts_snapshot
from tests.factories import CompoundFactory, FirmFactory

pytestmark = pytest.mark.django_db


def _values(*keys: str) -> dict[str, str]:
    return {fact.key: fact.value for fact in facts_snapshot(list(keys))}


def _run(year: int, grades: list[str], status: str = RunStatus.FINISHED) -> RatingRun:
    rule_set = credit_services.rule_set_for_year(user=None, year=year)
    run = RatingRun.objects.create(year=year, rule_set=rule_set, status=status)
    Rating.objects.bulk_create(Rating(run=run, firm=FirmFactory(), grade=grade) for grade in grades)
    return run


def test_credit_figures_come_from_the_latest_finished_run():
    _run(2023, ["A", "A", "A", "D"])
    _run(2024, ["A", "B", "D", "D", ""])
    _run(2024, ["A"], status=RunStatus.RUNNING)  # not finished: not cited
    values = _values("credit_rated_firms", "credit_grade_a", "credit_grade_d")
    assert values["credit_rated_firms"].startswith("4") and "2024" in values["credit_rated_firms"]
    assert values["credit_grade_a"].startswith("1")
    assert values["credit_grade_d"].startswith("2")


def test_credit_figures_without_a_finished_run_are_a_dash():
    assert _values("credit_rated_firms")["credit_rated_firms"] == "—"


def test_fund_figures_count_approved_emergencies_and_declared_plans():
    compound = CompoundFactory()
    common = {
        "compound": compound,
        "kind": "elevator",
        "title": "电梯停运",
        "description": "x",
        "scope": Scope.COMPOUND,
    }
    EmergencyApplication.objects.create(
        **common,
        quote_amount=Decimal("20000"),
        status=EmergencyStatus.APPROVED,
        approved_amount=Decimal("18000.50"),
    )
    EmergencyApplication.objects.create(
        **common,
        quote_amount=Decimal("5000"),
        status=EmergencyStatus.COMPLETED,
        approved_amount=Decimal("5000"),
    )
    EmergencyApplication.objects.create(**common, quote_amount=Decimal("900"))  # waiting
    OrdinaryApplication.objects.create(
        compound=compound,
        title="屋面防水",
        items="x",
        budget=Decimal("80000"),
        scope=Scope.COMPOUND,
        publicity_start=dt.date(2024, 5, 1),
        publicity_end=dt.date(2024, 5, 8),
    )
    values = _values("emergency_uses", "emergency_amount", "fund_use_plans")
    assert values["emergency_uses"] == "2"
    assert "23,000.50" in values["emergency_amount"]
    assert values["fund_use_plans"] == "1"


def test_maintenance_plans_declared_this_year_count_submitted_plans():
    from funds.models import MaintenancePlan

    year = timezone.localdate().year
    firm = FirmFactory()
    for status, submitted, plan_year in [
        ("submitted", True, year),
        ("returned", True, year),
        ("draft", False, year),
        ("approved", True, year - 1),
    ]:
        MaintenancePlan.objects.create(
            compound=CompoundFactory(),
            firm=firm,
            year=plan_year,
            status=status,
            submitted_at=timezone.now() if submitted else None,
        )
    assert _values("maintenance_plans")["maintenance_plans"] == "2"
