"""The coverage card of the workbench: the city's figures on the demo data, each officer's
own area, refusals."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Count
from django.test.utils import override_settings
from django.urls import reverse

from companies.models import Compound, Firm
from companies.services import coverage_snapshot_take
from portal.demo import load_demo
from portal.models import Community, CoverageSnapshot, Street, User

URL = reverse("portal:dashboard")
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def demo_city(django_db_setup, django_db_blocker):
    """The demo city, loaded once for this module and rolled back after it."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHER),
        transaction.atomic(),
    ):
        ctx = load_demo()
        yield ctx
        transaction.set_rollback(True)


@pytest.fixture
def account(demo_city, db):
    return lambda role: User.objects.get(username=f"demo_{role}")


def _card(response, name: str):
    """The context of a workbench card, or None when the page does not show it."""
    shown = {card.card.name: card.context for card in response.context["cards"]}
    return shown.get(name)


def _dashboard(client_of, user):
    response = client_of(user).get(URL)
    assert response.status_code == 200
    return _card(response, "companies.coverage")["coverage"]


@pytest.mark.parametrize("role", ["bureau", "association"])
def test_city_wide_users_see_the_city_of_the_bureaus_reply(role, account, client_of):
    board = _dashboard(client_of, account(role))
    assert board.firms == 252
    assert board.streets == 48
    assert board.communities == 248
    assert board.total.red_heart == 76
    assert board.total.compounds == Compound.objects.count()
    assert [t.level for t in board.tables] == ["district", "street"]
    districts, streets = board.tables
    assert len(streets.rows) == 48
    assert sum(row.compounds for row in districts.rows) == board.total.compounds
    assert sum(row.households for row in streets.rows) == board.total.households
    assert board.chart["labels"] == [row.name for row in districts.rows]


def test_the_three_rates_follow_domain_md_and_are_realistic(account, client_of):
    total = _dashboard(client_of, account("bureau")).total
    managed = Compound.objects.filter(firm__isnull=False)
    assert total.managed == managed.count()
    assert total.party_orgs == managed.filter(has_party_org=True).count()
    assert total.owners_committees == Compound.objects.filter(has_owners_committee=True).count()
    assert Decimal("60") <= total.party_rate <= Decimal("80")
    assert Decimal("85") <= total.service_rate <= Decimal("95")
    assert Decimal("50") <= total.committee_rate <= Decimal("70")
    for rate in (total.party_rate, total.service_rate, total.committee_rate):
        assert isinstance(rate, Decimal)
        assert rate.as_tuple().exponent == -1
    expected = (Decimal(total.managed) * 100 / total.compounds).quantize(Decimal("0.1"))
    assert total.service_rate == expected


def test_street_officer_sees_only_their_street_per_community(account, client_of):
    officer = account("street")
    board = _dashboard(client_of, officer)
    own = Compound.objects.filter(community__street=officer.street)
    assert board.streets == 1
    assert board.communities == Community.objects.filter(street=officer.street).count()
    assert board.total.compounds == own.count() < Compound.objects.count()
    assert board.firms == own.aggregate(n=Count("firm", distinct=True))["n"]
    (table,) = board.tables
    assert table.level == "community"
    assert {row.pk for row in table.rows} == set(
        officer.street.communities.values_list("pk", flat=True)
    )
    assert {row.parent for row in table.rows} == {officer.street.name}


def test_community_officer_sees_only_their_community(account, client_of):
    officer = account("community")
    board = _dashboard(client_of, officer)
    assert (board.streets, board.communities) == (1, 1)
    assert board.total.compounds == Compound.objects.filter(community=officer.community).count()
    (table,) = board.tables
    assert [row.pk for row in table.rows] == [officer.community_id]


def test_an_officer_of_another_street_sees_none_of_this_one(street_officer, client_of, account):
    other = Street.objects.get(name="北京路街道")
    board = _dashboard(client_of, street_officer)  # an officer of a street outside the demo
    assert board.total.compounds == 0
    assert other.name not in board.chart["labels"]


@pytest.mark.parametrize("role", ["firm", "committee"])
def test_firms_and_committees_land_on_their_home_without_the_coverage(role, account, client_of):
    response = client_of(account(role)).get(URL)
    assert response.status_code == 200
    assert _card(response, "companies.coverage") is None
    assert "coverage-chart" not in response.content.decode()


def test_anonymous_users_are_sent_to_sign_in(client, demo_city, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_dashboard_queries_do_not_grow_with_the_city(
    account, client_of, django_assert_max_num_queries
):
    coverage_snapshot_take(date=dt.date(2024, 1, 1))
    for role in ("bureau", "street", "community"):
        client = client_of(account(role))
        # 14 for the figures, the rest for the other cards and the to-do list.
        with django_assert_max_num_queries(44):
            assert client.get(URL).status_code == 200


def test_the_chart_data_travels_in_json_script_and_rates_are_decimal_strings(account, client_of):
    response = client_of(account("bureau")).get(URL)
    content = response.content.decode()
    assert 'id="coverage-chart-data"' in content
    assert "vendor/chartjs/chart.umd.min.js" in content
    match = re.search(r'<script id="coverage-chart-data"[^>]*>(.*?)</script>', content, re.S)
    data = json.loads(match.group(1))
    assert len(data["labels"]) == 6
    assert [d["key"] for d in data["datasets"]] == ["party_rate", "service_rate", "committee_rate"]
    assert all(Decimal(value) >= 0 for d in data["datasets"] for value in d["data"])


def test_quick_actions_for_the_bureau_only(account, client_of):
    imports = reverse("companies:firm_import")
    assert imports in client_of(account("bureau")).get(URL).content.decode()
    assert imports not in client_of(account("street")).get(URL).content.decode()


def test_trend_shows_the_snapshots_of_the_users_scope(account, client_of):
    CoverageSnapshot.objects.all().delete()
    coverage_snapshot_take(date=dt.date(2024, 1, 1))
    assert _dashboard(client_of, account("bureau")).trend_chart is None  # one day: no trend
    coverage_snapshot_take(date=dt.date(2024, 1, 2))
    city = _dashboard(client_of, account("bureau"))
    assert [day for day, _figures in city.trend] == ["2024-01-01", "2024-01-02"]
    assert city.trend[-1][1].compounds == Compound.objects.count()
    assert city.trend_chart["labels"] == ["2024-01-01", "2024-01-02"]
    officer = account("street")
    street = _dashboard(client_of, officer)
    assert (
        street.trend[-1][1].compounds
        == Compound.objects.filter(community__street=officer.street).count()
    )
    assert _dashboard(client_of, account("community")).trend == []


def test_every_firm_counts_whatever_it_serves(account, client_of):
    assert Firm.objects.count() == _dashboard(client_of, account("bureau")).firms
