"""A compound with a Party organisation, managed by firm A in community A of street A, and an
application of it at each step (submitted on Monday 2 March 2026, 09:00 in Beijing)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache

from demonstrations import services
from demonstrations.choices import STANDARD_KEYS

SHANGHAI = ZoneInfo("Asia/Shanghai")
SUBMITTED = dt.datetime(2026, 3, 2, 9, tzinfo=SHANGHAI)  # a Monday


@pytest.fixture(autouse=True)
def _media_and_cache(settings, tmp_path, db):
    settings.MEDIA_ROOT = tmp_path
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def party_compound(compound_a):
    compound_a.has_party_org = True
    compound_a.save()
    return compound_a


def apply(user, compound, *, year=2026, now=SUBMITTED, **overrides):
    fields = {
        "party_org": "东苑小区党支部",
        "standards": list(STANDARD_KEYS),
        "satisfaction": Decimal("95.5"),
        "description": "党员先锋岗，业主议事会每月一次。",
    }
    fields.update(overrides)
    return services.application_submit(user=user, compound=compound, year=year, now=now, **fields)


@pytest.fixture
def submitted(firm_user, party_compound):
    return apply(firm_user, party_compound)


@pytest.fixture
def community_ok(submitted, community_officer):
    return services.community_recommend(
        user=community_officer,
        application=submitted,
        recommend=True,
        now=SUBMITTED + dt.timedelta(days=1),
    )


@pytest.fixture
def street_ok(community_ok, street_officer):
    return services.street_recommend(
        user=street_officer,
        application=community_ok,
        recommend=True,
        now=SUBMITTED + dt.timedelta(days=3),
    )
