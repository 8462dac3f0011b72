"""The daily coverage snapshot: the counts of the city, each district and each street."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings

from companies import tasks
from companies.services import coverage_snapshot_take
from portal.models import CoverageSnapshot
from tests.factories import CompoundFactory

DAY = dt.date(2024, 6, 12)


@pytest.fixture
def two_streets(compound_a, compound_b):
    """Street A: a managed compound with a Party org and a committee; street B: one without."""
    compound_a.has_party_org = True
    compound_a.has_owners_committee = True
    compound_a.red_heart_year = 2022
    compound_a.save()
    CompoundFactory(community=compound_a.community, firm=None, households=30)
    return compound_a, compound_b


def test_snapshot_counts_the_city_each_district_and_each_street(two_streets):
    compound_a, compound_b = two_streets
    written = coverage_snapshot_take(date=DAY)
    # city + 2 districts (each conftest street has its own) + 2 streets
    assert written == 5 == CoverageSnapshot.objects.filter(date=DAY).count()
    city = CoverageSnapshot.objects.get(date=DAY, scope="city")
    assert (city.compounds, city.managed, city.party_orgs, city.owners_committees) == (3, 2, 1, 1)
    assert city.red_heart == 1
    assert city.households == 100 + 100 + 30
    street_a = CoverageSnapshot.objects.get(date=DAY, street=compound_a.community.street)
    assert (street_a.compounds, street_a.managed, street_a.party_orgs) == (2, 1, 1)
    assert street_a.district_id == compound_a.community.street.district_id
    district_b = CoverageSnapshot.objects.get(
        date=DAY, scope="district", district=compound_b.community.street.district
    )
    assert (district_b.compounds, district_b.party_orgs) == (1, 0)


def test_taking_a_days_snapshot_again_updates_its_rows(two_streets):
    coverage_snapshot_take(date=DAY)
    ids = set(CoverageSnapshot.objects.values_list("pk", flat=True))
    CompoundFactory(community=two_streets[0].community)
    assert coverage_snapshot_take(date=DAY) == 5
    assert set(CoverageSnapshot.objects.values_list("pk", flat=True)) == ids
    assert CoverageSnapshot.objects.get(date=DAY, scope="city").compounds == 4


def test_another_day_gets_rows_of_its_own(two_streets):
    coverage_snapshot_take(date=DAY)
    coverage_snapshot_take(date=DAY + dt.timedelta(days=1))
    assert CoverageSnapshot.objects.filter(scope="city").count() == 2


def test_the_task_takes_todays_snapshot_and_returns_the_rows_written(two_streets):
    assert tasks.coverage_snapshot_take.delay().get() == 5
    assert tasks.coverage_snapshot_take.delay(DAY.isoformat()).get() == 5
    assert CoverageSnapshot.objects.filter(date=DAY, scope="city").exists()


def test_an_empty_city_still_gets_its_city_row(db):
    assert coverage_snapshot_take(date=DAY) == 1


def test_beat_runs_the_snapshot_daily():
    entries = [
        e for e in settings.CELERY_BEAT_SCHEDULE.values() if "coverage_snapshot" in e["task"]
    ]
    assert [e["task"] for e in entries] == ["companies.tasks.coverage_snapshot_take"]
    assert tasks.coverage_snapshot_take.name == "companies.tasks.coverage_snapshot_take"
