"""The public page of a compound's fund: balance, approved plan with progress, notices."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from funds import services
from funds.choices import EmergencyKind, FundingSource, ItemProgress


@pytest.fixture
def plan(account_a, firm_user, street_officer, bureau_user):
    plan = services.plan_create(user=firm_user, compound=account_a.compound, year=2026)
    services.plan_item_add(
        user=firm_user,
        plan=plan,
        facility="二次供水水箱",
        work="清洗消毒",
        planned_month=4,
        estimated_cost="3600.00",
        funding_source=FundingSource.PROPERTY_FEES,
    )
    return plan


def test_public_page_shows_balance_approved_plan_and_notices_without_names(
    client, plan, account_a, firm_user, street_officer, bureau_user, community_officer
):
    url = reverse("funds:compound_public", args=[account_a.compound.code])
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["plan"] is None  # a draft is not public
    assert page.context["fund"]["balance"] == Decimal("45575.00")

    services.plan_submit(user=firm_user, plan=plan)
    services.plan_street_review(user=street_officer, plan=plan, passed=True)
    services.plan_bureau_review(user=bureau_user, plan=plan, approve=True)
    item = plan.items.get()
    services.plan_item_progress(user=firm_user, item=item, progress=ItemProgress.IN_PROGRESS)
    emergency = services.emergency_file(
        user=firm_user,
        compound=account_a.compound,
        kind=EmergencyKind.LEAK,
        title="屋面漏水",
        description="顶层漏水",
        quote_amount="1000.00",
    )
    services.emergency_certify(user=community_officer, application=emergency)
    services.emergency_confirm(user=street_officer, application=emergency)
    services.emergency_approve(user=bureau_user, application=emergency)

    page = client.get(url)
    assert page.context["plan"] == plan
    html = page.content.decode()
    assert "清洗消毒" in html and "屋面漏水" in html
    assert page.context["fund"]["balance"] == Decimal("44575.00")
    assert "张三丰" not in html and "欧阳娜娜" not in html
    # The notice list links to the compound's page.
    listing = client.get(reverse("funds:notice_list")).content.decode()
    assert url in listing


def test_unknown_compound_is_404(client, db):
    assert client.get(reverse("funds:compound_public", args=["NOPE"])).status_code == 404


def test_public_page_queries_do_not_grow_with_items(
    client, plan, account_a, firm_user, street_officer, bureau_user, django_assert_max_num_queries
):
    for month in range(5, 13):
        services.plan_item_add(
            user=firm_user,
            plan=plan,
            facility="路灯",
            work="更换",
            planned_month=month,
            estimated_cost="1.00",
            funding_source=FundingSource.OTHER,
        )
    services.plan_submit(user=firm_user, plan=plan)
    services.plan_street_review(user=street_officer, plan=plan, passed=True)
    services.plan_bureau_review(user=bureau_user, plan=plan, approve=True)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("funds:compound_public", args=[account_a.compound.code]))
    assert len(response.context["items"]) == 9
