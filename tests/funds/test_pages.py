"""What the fund pages show a person: money as ¥1,234.50 and areas as m², Chinese labels for
every state and recorded change, a filing form that takes the building as the ledger names
it, each household's share before the approval, ISO dates in date inputs, and pickers."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
import time_machine
from django.db.models import Choices
from django.urls import reverse
from django.utils import translation

from funds import choices, selectors, services
from funds.choices import EmergencyKind, FundingSource, Scope
from funds.forms import PlanProgressForm
from funds.models import (
    EmergencyApplication,
    Household,
    MaintenancePlan,
    MaintenancePlanItem,
    OrdinaryApplication,
    Posting,
)
from portal import history

D = Decimal
RAW_DECIMAL = re.compile(r"\d\.\d{3,}")  # 580281.600000000: SQLite's sums, unformatted


def _emergency(user, compound, **fields):
    defaults = {
        "kind": EmergencyKind.ELEVATOR,
        "title": "电梯停运",
        "description": "困人",
        "quote_amount": D("4557.50"),
    }
    return services.emergency_file(user=user, compound=compound, **{**defaults, **fields})


# ---------------------------------------------------------------- money and areas


def test_money_shows_as_yuan_with_separators_and_areas_as_square_metres(
    client_of, client, account_a, bureau_user
):
    bureau = client_of(bureau_user)
    household = account_a.households.get(room="102", building="1")
    pages = {
        "list": bureau.get(reverse("funds:account_list")).content.decode(),
        "detail": bureau.get(reverse("funds:account_detail", args=[account_a.pk])).content.decode(),
        "household": bureau.get(
            reverse("funds:household_detail", args=[household.pk])
        ).content.decode(),
    }
    pages["public"] = client.get(
        reverse("funds:compound_public", args=[account_a.compound.code])
    ).content.decode()
    assert "¥45,575.00" in pages["list"]
    assert '<div class="fs-4" id="balance">¥45,575.00</div>' in pages["detail"]
    assert "110.50 m²" in pages["detail"] and "¥11,050.00" in pages["detail"]
    assert "110.50 m²" in pages["household"]
    assert '<div class="fs-4" id="balance">¥45,575.00</div>' in pages["public"]
    for name, html in pages.items():
        assert not RAW_DECIMAL.search(html), name


def test_the_notice_shows_each_share_in_yuan_and_the_exact_total(
    client, account_a, firm_user, community_officer, street_officer, bureau_user
):
    application = _emergency(firm_user, account_a.compound)
    services.emergency_certify(user=community_officer, application=application)
    services.emergency_confirm(user=street_officer, application=application)
    services.emergency_approve(user=bureau_user, application=application)
    notice = application.notices.get()
    html = client.get(reverse("funds:notice_detail", args=[notice.pk])).content.decode()
    assert '<td class="text-end fw-bold">¥4,557.50</td>' in html
    assert "90.00 m²" in html


# ---------------------------------------------------------------- the emergency form


def _filing(compound, **fields):
    return {
        "compound": compound.pk,
        "kind": EmergencyKind.LEAK,
        "title": "屋面渗漏",
        "description": "顶层漏水",
        "quote_amount": "800.00",
        "scope": Scope.BUILDING,
        "building": "2",
        **fields,
    }


def test_the_filing_button_reads_as_the_verb(client_of, account_a, firm_user):
    html = client_of(firm_user).get(reverse("funds:emergency_create")).content.decode()
    assert '<button class="btn btn-danger" type="submit">提交申请</button>' in html


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        (("2栋", ""), ("2", "")),
        (("2号楼", ""), ("2", "")),
        (("２ 栋", ""), ("2", "")),
        (("1栋", "2单元"), ("1", "2")),
    ],
)
def test_the_building_is_taken_as_the_ledger_writes_it(
    typed, stored, client_of, account_a, firm_user
):
    building, unit = typed
    scope = Scope.UNIT if unit else Scope.BUILDING
    response = client_of(firm_user).post(
        reverse("funds:emergency_create"),
        _filing(account_a.compound, scope=scope, building=building, unit=unit),
    )
    assert response.status_code == 302, response.context["form"].errors
    application = EmergencyApplication.objects.get()
    assert (application.building, application.unit) == stored


def test_a_building_the_ledger_does_not_know_is_refused_in_chinese_naming_those_it_knows(
    client_of, account_a, firm_user
):
    response = client_of(firm_user).post(
        reverse("funds:emergency_create"), _filing(account_a.compound, building="9栋")
    )
    assert response.status_code == 200
    [message] = response.context["form"].errors["building"]
    assert message == (
        f"{account_a.compound.name}的维修资金分户账中没有“9栋”，已登记的楼栋为：1栋、2栋。"
    )
    response = client_of(firm_user).post(
        reverse("funds:emergency_create"),
        _filing(account_a.compound, scope=Scope.UNIT, building="2栋", unit="3单元"),
    )
    assert "已登记的单元为：1单元" in response.context["form"].errors["unit"][0]
    assert not EmergencyApplication.objects.exists()


# ---------------------------------------------------------------- shares before approval


def test_the_approvers_see_each_households_share_while_it_waits(
    client_of, account_a, firm_user, community_officer, street_officer, bureau_user
):
    application = _emergency(firm_user, account_a.compound)
    for user in (community_officer, street_officer, bureau_user):
        page = client_of(user).get(reverse("funds:emergency_detail", args=[application.pk]))
        assert page.context["shares_count"] == 5
        assert page.context["shares_total"] == D("4557.50")
        assert '<td class="text-end fw-bold" id="shares-total">¥4,557.50</td>' in (
            page.content.decode()
        )
        if user == community_officer:
            services.emergency_certify(user=user, application=application)
        elif user == street_officer:
            services.emergency_confirm(user=user, application=application)
    shown = {
        row.household.pk: row.share
        for row in selectors.emergency_cost_shares(application=application)
    }
    services.emergency_approve(user=bureau_user, application=application)
    posted = {
        entry.household_id: -entry.amount
        for entry in Posting.objects.get(emergency=application).entries.all()
    }
    assert shown == posted  # what they saw is what was posted, to the cent


def test_the_shares_of_a_big_compound_come_a_page_at_a_time(
    client_of, account_a, firm_user, bureau_user, django_assert_max_num_queries
):
    for room in range(60):
        services.household_add(
            user=bureau_user,
            account=account_a,
            building="10",
            room=f"9{room:02d}",
            floor_area=D("77.77"),
            owner_name="周某",
            initial_deposit=D("100.00"),
        )
    application = _emergency(firm_user, account_a.compound, quote_amount=D("1000.01"))
    client = client_of(bureau_user)
    with django_assert_max_num_queries(11):  # one of them: the bureau's second-factor device
        page = client.get(reverse("funds:emergency_detail", args=[application.pk]))
    assert page.context["shares_count"] == 65
    assert len(page.context["shares_page"].object_list) == 50
    assert page.context["shares_total"] == D("1000.01")
    labels = [row.household.building for row in page.context["shares_page"]]
    assert labels[:5] == ["1", "1", "1", "2", "2"]  # building 2 before building 10
    second = client_of(bureau_user).get(
        reverse("funds:emergency_detail", args=[application.pk]), {"page": 2}
    )
    assert len(second.context["shares_page"].object_list) == 15


def test_once_approved_the_page_points_to_the_notice_not_to_a_forecast(
    client_of, account_a, firm_user, community_officer, street_officer, bureau_user
):
    application = _emergency(firm_user, account_a.compound)
    services.emergency_certify(user=community_officer, application=application)
    services.emergency_confirm(user=street_officer, application=application)
    services.emergency_approve(user=bureau_user, application=application)
    page = client_of(firm_user).get(reverse("funds:emergency_detail", args=[application.pk]))
    assert page.context["shares_page"] is None
    assert reverse("funds:notice_detail", args=[application.notices.get().pk]) in (
        page.content.decode()
    )


# ---------------------------------------------------------------- dates and history


def test_the_progress_date_input_gets_an_iso_value(
    client_of, compound_a, firm_user, street_officer, bureau_user
):
    assert 'type="date"' in str(PlanProgressForm()["date"])
    rendered = str(PlanProgressForm(initial={"date": dt.date(2026, 11, 29)})["date"])
    assert 'value="2026-11-29"' in rendered
    plan = services.plan_create(user=firm_user, compound=compound_a, year=2026)
    services.plan_item_add(
        user=firm_user,
        plan=plan,
        facility="电梯",
        work="年检",
        planned_month=3,
        estimated_cost=D("1200.00"),
        funding_source=FundingSource.FUND,
    )
    services.plan_submit(user=firm_user, plan=plan)
    services.plan_street_review(user=street_officer, plan=plan, passed=True)
    services.plan_bureau_review(user=bureau_user, plan=plan, approve=True)
    with time_machine.travel(dt.datetime(2026, 11, 29, 10, tzinfo=dt.UTC), tick=False):
        html = client_of(firm_user).get(reverse("funds:plan_detail", args=[plan.pk])).content
    assert b'type="date" name="date" value="2026-11-29"' in html


def test_history_lines_name_each_step_in_chinese(
    client_of, account_a, firm_user, community_officer, street_officer
):
    application = _emergency(firm_user, account_a.compound)
    services.emergency_certify(user=community_officer, application=application)
    services.emergency_confirm(user=street_officer, application=application)
    html = (
        client_of(street_officer)
        .get(reverse("funds:emergency_detail", args=[application.pk]))
        .content.decode()
    )
    lines = re.findall(r'<li class="list-group-item history-entry">(.*?)</li>', html)
    assert len(lines) == 3
    assert lines[0].endswith("街道已确认 · 已确认，待市住建局审批")
    assert lines[1].endswith("社区已认定 · 已认定，待街道确认")
    assert "confirmed" not in html and "certified" not in html


def test_every_reason_the_fund_records_has_a_chinese_label():
    recorded = {
        EmergencyApplication: [
            "certified",
            "confirmed",
            "approved",
            "rejected",
            "completed",
            "step overdue: escalated",
        ],
    }
    recorded[OrdinaryApplication] = [
        "vote recorded",
        "reviewed",
        "first payment",
        "accepted",
        "final payment",
    ]
    recorded[MaintenancePlan] = ["submitted", "street review", "bureau review", "credit deduction"]
    recorded[MaintenancePlanItem] = ["progress"]
    recorded[Household] = ["deposit #12", "disbursement #3", "reversal #7", "corrected"]
    with translation.override("zh-hans"):
        for model, reasons in recorded.items():
            for reason in reasons:
                label = history.reason_label(model, reason)
                assert not re.search(r"[a-z]{3}", label), (model.__name__, reason, label)
        assert history.reason_label(Household, "deposit #12") == "交存 #12"
        assert history.reason_label(MaintenancePlan, "draft → submitted") == (
            "草稿 → 已提交，待街道审核"
        )


def test_every_choice_of_the_fund_has_a_chinese_label():
    enumerations = [
        value
        for value in vars(choices).values()
        if isinstance(value, type)
        and issubclass(value, Choices)
        and value.__module__ == choices.__name__
    ]
    assert len(enumerations) >= 9
    with translation.override("zh-hans"):
        for enumeration in enumerations:
            for value, label in enumeration.choices:
                assert not re.search(r"[A-Za-z]{3}", str(label)), (enumeration.__name__, value)


# ---------------------------------------------------------------- pickers


def test_the_compound_of_a_fund_use_is_picked_from_the_applicants_compounds_with_an_account(
    client_of, account_a, account_b, firm_user, compound_b
):
    client = client_of(firm_user)
    for url_name in ("funds:emergency_create", "funds:ordinary_create"):
        html = client.get(reverse(url_name)).content.decode()
        assert 'data-picker="/pick/fund-compound/"' in html
        assert account_a.compound.code not in html  # the rows come from the server, on demand
    found = client.get(reverse("portal:pick", args=["fund-compound"])).json()["results"]
    assert [row["value"] for row in found] == [account_a.compound.pk]
    assert "·" in found[0]["text"]
    # Another firm's compound is refused whatever the browser sends.
    response = client.post(reverse("funds:emergency_create"), _filing(compound_b, building="1"))
    assert "compound" in response.context["form"].errors


def test_the_plan_declaration_picks_among_the_firms_compounds(client_of, compound_a, firm_user):
    html = client_of(firm_user).get(reverse("funds:plan_create")).content.decode()
    assert 'data-picker="/pick/compound/"' in html


def test_the_emergency_list_shows_the_state_by_its_label_and_the_quote_in_yuan(
    client_of, account_a, firm_user, bureau_user
):
    _emergency(firm_user, account_a.compound)
    html = client_of(bureau_user).get(reverse("funds:emergency_list")).content.decode()
    assert "<td>已申报，待社区认定</td>" in html
    assert '<td class="text-end">¥4,557.50</td>' in html
