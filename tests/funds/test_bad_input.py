"""The fund pages answer any query string and any posted value with a page or a message,
never a 500, and store no value past its bound."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from funds import services
from funds.choices import EmergencyKind
from funds.models import EmergencyApplication, OrdinaryApplication

LONG = "长" * 100_000


@pytest.mark.parametrize("year", ["²", "٢٠٢٣", "99999999999999999999", "-1"])
def test_the_plan_list_reads_a_year_it_cannot_use_as_no_year(client_of, bureau_user, year):
    response = client_of(bureau_user).get(reverse("funds:plan_list"), {"year": year})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "query", [{"q": LONG}, {"low": "²"}, {"status": "²"}, {"overdue": LONG}, {"page": "-1"}]
)
@pytest.mark.parametrize(
    "name", ["funds:account_list", "funds:emergency_list", "funds:ordinary_list"]
)
def test_the_fund_lists_answer_any_query(client_of, bureau_user, name, query):
    assert client_of(bureau_user).get(reverse(name), query).status_code == 200


@pytest.mark.parametrize("compound", ["99999999999999999999", "²", LONG])
def test_the_public_notices_answer_any_compound(client, db, compound):
    assert client.get(reverse("funds:notice_list"), {"compound": compound}).status_code == 200


def _ordinary(account, **overrides) -> dict:
    return {
        "compound": account.compound.pk,
        "title": "外墙修缮",
        "items": "外墙涂料",
        "budget": "1000.00",
        "scope": "compound",
        "publicity_days": "7",
        **overrides,
    }


@pytest.mark.parametrize(
    "overrides",
    [
        {"publicity_days": "3000000"},
        {"budget": "1" + "0" * 20},
        {"items": LONG},
    ],
)
def test_an_ordinary_application_out_of_bounds_is_refused_by_the_form(
    client_of, account_a, committee_user, overrides
):
    response = client_of(committee_user).post(
        reverse("funds:ordinary_create"), _ordinary(account_a, **overrides)
    )
    assert response.status_code == 200
    assert set(overrides) <= set(response.context["form"].errors)
    assert not OrdinaryApplication.objects.exists()


@pytest.fixture
def emergency(account_a, firm_user):
    return services.emergency_file(
        user=firm_user,
        compound=account_a.compound,
        kind=EmergencyKind.ELEVATOR,
        title="电梯停运",
        description="困人",
        quote_amount=Decimal("4557.50"),
    )


def test_a_100000_character_reason_for_rejecting_is_refused(
    client_of, emergency, community_officer
):
    url = reverse("funds:emergency_action", args=[emergency.pk, "reject"])
    client_of(community_officer).post(url, {"reason": LONG})
    emergency.refresh_from_db()
    assert emergency.status == "filed"
    assert not emergency.reject_reason
    assert EmergencyApplication.objects.filter(reject_reason__contains="长长").count() == 0
