"""Departments (seeded by portal's migration, and again here: a test that flushed the database
before took the migration's rows with it), their accounts, and a warning at each step."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache

from cases import services
from cases.demo import lists_ensure
from cases.models import Category
from portal.choices import Role
from portal.models import Department
from tests.factories import UserFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Monday 2 March 2026, 09:00 in Beijing: when the community raises its warning.
RAISED = dt.datetime(2026, 3, 2, 9, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _media_and_cache(settings, tmp_path, db):
    lists_ensure()
    settings.MEDIA_ROOT = tmp_path
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def chengguan(db):
    return Department.objects.get(code="chengguan")


@pytest.fixture
def xiaofang(db):
    return Department.objects.get(code="xiaofang")


@pytest.fixture
def gongdian(db):
    return Department.objects.get(code="gongdian")


@pytest.fixture
def chengguan_user(chengguan):
    return UserFactory(role=Role.DEPARTMENT, department=chengguan, username="dept_cg")


@pytest.fixture
def xiaofang_user(xiaofang):
    return UserFactory(role=Role.DEPARTMENT, department=xiaofang, username="dept_xf")


@pytest.fixture
def gongdian_user(gongdian):
    return UserFactory(role=Role.DEPARTMENT, department=gongdian, username="dept_gd")


@pytest.fixture
def fire_lane(db):
    return Category.objects.get(code="fire_lane")


def raise_case(user, compound, category, *, urgency="urgent", now=RAISED):
    return services.case_raise(
        user=user,
        compound=compound,
        category=category,
        description="3号楼消防通道被私家车长期占用。",
        urgency=urgency,
        now=now,
    )


@pytest.fixture
def raised(community_officer, compound_a, fire_lane):
    """An urgent warning (较急) about compound A, raised on Monday at 09:00."""
    return raise_case(community_officer, compound_a, fire_lane)


@pytest.fixture
def whistled(raised, street_officer, chengguan, xiaofang):
    """Whistled to 城管 and 消防 two hours later: each reports within 3 days."""
    return services.case_whistle(
        user=street_officer,
        case=raised,
        departments=[chengguan, xiaofang],
        note="请城管清理车辆，消防检查通道。",
        now=RAISED + dt.timedelta(hours=2),
    )


def dispatch_of(case, department):
    return case.dispatches.get(department=department, round=case.round)
