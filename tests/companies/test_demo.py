"""The demo city: the figures of the bureau's reply, valid data, the same every time."""

from __future__ import annotations

from collections import Counter
from io import StringIO

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, F, Q
from django.test.utils import override_settings

from companies.demo import build_city
from companies.models import Compound, Firm, Management
from companies.validators import validate_credit_code
from portal.choices import Role
from portal.demo import DEMO_PASSWORD, DEMO_SEED
from portal.models import Community, CoverageSnapshot, District, Street, User

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def plan():
    return build_city(DEMO_SEED)


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """`manage.py load_demo` run once for this module (its output kept), rolled back after."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHER),
        transaction.atomic(),
    ):
        out = StringIO()
        call_command("load_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def demo(loaded, db):
    return loaded


# --- the plan, without the database ------------------------------------------------------


def test_the_same_seed_plans_the_same_city(plan):
    assert build_city(DEMO_SEED).digest() == plan.digest()


def test_another_seed_plans_another_city(plan):
    other = build_city(DEMO_SEED + 1)
    assert other.digest() != plan.digest()
    assert len(other.firms) == len(plan.firms) == 252


def test_every_planned_credit_code_is_valid_and_unique(plan):
    codes = [firm["credit_code"] for firm in plan.firms]
    for code in codes:
        validate_credit_code(code)
        assert code.startswith("91220")
    assert len(set(codes)) == 252
    assert len({firm["name"] for firm in plan.firms}) == 252


def test_the_plan_has_the_figures_of_the_reply(plan):
    assert len(plan.streets) == 48
    assert len(plan.communities) == 248
    assert 4 <= len(plan.districts) <= 8
    assert Counter(c["red_heart_year"] for c in plan.compounds if c["red_heart_year"]) == {
        2021: 20,
        2022: 25,
        2023: 31,
    }
    served = {c["firm"] for c in plan.compounds if c["firm"] is not None}
    assert served == set(range(252))


# --- the loaded data ---------------------------------------------------------------------


def test_load_demo_writes_the_city_of_the_reply(demo):
    assert Firm.objects.count() == 252
    assert Street.objects.count() == 48
    assert Community.objects.count() == 248
    assert 4 <= District.objects.count() <= 8
    assert 1400 <= Compound.objects.count() <= 1600
    assert Compound.objects.red_heart().count() == 76
    assert set(Compound.objects.red_heart().values_list("red_heart_year", flat=True)) == {
        2021,
        2022,
        2023,
    }
    # 红心物业 projects are Party-led, professionally managed and have a committee.
    assert not Compound.objects.red_heart().filter(
        Q(firm__isnull=True) | Q(has_party_org=False) | Q(has_owners_committee=False)
    )


def test_the_database_holds_the_planned_credit_codes(demo, plan):
    assert set(Firm.objects.values_list("credit_code", flat=True)) == {
        firm["credit_code"] for firm in plan.firms
    }


def test_every_demo_firm_is_valid_and_serves_a_compound(demo):
    for firm in Firm.objects.all():
        firm.full_clean()
    assert not Firm.objects.annotate(n=Count("compounds")).filter(n=0).exists()
    assert Firm.objects.first().legal_representative
    assert Firm.objects.filter(name__startswith="吉林市", name__contains="物业").count() == 252


def test_coverage_rates_are_in_a_realistic_range(demo):
    compounds = Compound.objects.count()
    managed = Compound.objects.professionally_managed()
    assert 0.85 <= managed.count() / compounds <= 0.95
    assert 0.60 <= managed.filter(has_party_org=True).count() / managed.count() <= 0.80
    assert 0.50 <= Compound.objects.filter(has_owners_committee=True).count() / compounds <= 0.70
    assert Compound.objects.filter(firm__isnull=True).exists()  # some self-managed


def test_management_history_matches_the_current_firms(demo):
    open_periods = Management.objects.filter(end_date__isnull=True)
    assert open_periods.count() == Compound.objects.professionally_managed().count()
    assert not open_periods.exclude(firm_id=F("compound__firm_id")).exists()
    closed = Management.objects.filter(end_date__isnull=False)
    assert closed.count() > 100
    assert not closed.filter(end_date__lt=F("start_date")).exists()
    assert Firm.history.count() == 252  # written with their history


def test_one_account_per_role_with_the_documented_password(demo):
    accounts = {user.role: user for user in User.objects.filter(username__startswith="demo_")}
    assert set(accounts) == set(Role.values)
    for user in accounts.values():
        assert user.check_password(DEMO_PASSWORD)
        validate_password(DEMO_PASSWORD, user)
        user.full_clean()
    street = accounts[Role.STREET].street
    community = accounts[Role.COMMUNITY].community
    compound = accounts[Role.OWNERS_COMMITTEE].compound
    assert community.street == street
    assert compound.community == community
    assert accounts[Role.FIRM].firm == compound.firm


def test_the_command_prints_the_accounts_table(demo):
    assert "demo_bureau" in demo
    assert "demo_committee" in demo
    assert DEMO_PASSWORD in demo


def test_the_demo_takes_a_first_coverage_snapshot(demo):
    city = CoverageSnapshot.objects.get(scope=CoverageSnapshot.Scope.CITY)
    assert city.compounds == Compound.objects.count()
    assert city.red_heart == 76


def test_load_demo_again_changes_nothing(demo):
    before = (Firm.objects.count(), Compound.objects.count(), User.objects.count())
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "not loaded again" in out.getvalue()
    assert (Firm.objects.count(), Compound.objects.count(), User.objects.count()) == before
