"""What the fund puts on each role's landing page: the work waiting for it (to-do items) and
the cards of the committee's compound, the firm's plans and applications, the overdue plans."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from funds import hooks, services
from funds.choices import EmergencyKind, EmergencyStatus, FundingSource, OrdinaryStatus
from portal import menu
from tests.factories import CompoundFactory

D = Decimal
NOW = dt.datetime(2026, 6, 15, 10, tzinfo=dt.UTC)
TODAY = dt.date(2026, 6, 15)


def _todos(user, today=TODAY) -> dict[str, object]:
    return {item.label: item for item in hooks.fund_todos(user, today) if item.count}


def _emergency(user, compound, title="电梯停运"):
    return services.emergency_file(
        user=user,
        compound=compound,
        kind=EmergencyKind.ELEVATOR,
        title=title,
        description="困人",
        quote_amount=D("1000.00"),
    )


def _plan(user, compound, year=2026, month=3):
    plan = services.plan_create(user=user, compound=compound, year=year)
    services.plan_item_add(
        user=user,
        plan=plan,
        facility="电梯",
        work="年检",
        planned_month=month,
        estimated_cost=D("1200.00"),
        funding_source=FundingSource.FUND,
    )
    return plan


def _ordinary(user, compound, start):
    return services.ordinary_file(
        user=user,
        compound=compound,
        title="路面修补",
        items="路面",
        budget=D("900.00"),
        publicity_start=start,
    )


@pytest.fixture
def work(account_a, firm_user, committee_user, community_officer, street_officer, bureau_user):
    """One of each kind of waiting work on compound A, as of mid-June 2026."""
    with time_machine.travel(NOW, tick=False):
        filed = _emergency(firm_user, account_a.compound, "待认定")
        certified = _emergency(firm_user, account_a.compound, "待确认")
        services.emergency_certify(user=community_officer, application=certified)
        confirmed = _emergency(firm_user, account_a.compound, "待审批")
        services.emergency_certify(user=community_officer, application=confirmed)
        services.emergency_confirm(user=street_officer, application=confirmed)
        approved = _emergency(committee_user, account_a.compound, "待完工")
        services.emergency_certify(user=community_officer, application=approved)
        services.emergency_confirm(user=street_officer, application=approved)
        services.emergency_approve(user=bureau_user, application=approved)
        vote_due = _ordinary(committee_user, account_a.compound, TODAY - dt.timedelta(days=20))
        _ordinary(committee_user, account_a.compound, TODAY)  # still publicised
        draft = _plan(firm_user, account_a.compound, year=2027)
        submitted = _plan(firm_user, account_a.compound, year=2026, month=3)
        services.plan_submit(user=firm_user, plan=submitted)
    return {"filed": filed, "vote_due": vote_due, "draft": draft, "submitted": submitted}


def test_each_step_of_an_emergency_is_on_the_list_of_the_one_who_takes_it(
    work, community_officer, street_officer, bureau_user, firm_user, committee_user
):
    with time_machine.travel(NOW, tick=False):
        assert _todos(community_officer)["已申报，待社区认定"].count == 1
        assert _todos(street_officer)["已认定，待街道确认"].count == 1
        assert _todos(bureau_user)["已确认，待市住建局审批"].count == 1
        for applicant in (firm_user, committee_user):
            assert _todos(applicant)["待报告完工的应急维修"].count == 1
        assert "已申报，待社区认定" not in _todos(street_officer)


def test_the_owners_vote_waits_for_the_applicant_once_the_publicity_is_over(
    work, committee_user, firm_user
):
    with time_machine.travel(NOW, tick=False):
        for applicant in (committee_user, firm_user):
            vote = _todos(applicant)["待录入的业主表决结果"]
            assert vote.count == 1  # the one still publicised is not yet to record
            assert vote.url.endswith(f"?status={OrdinaryStatus.PUBLICISED}")


def test_a_plan_waits_for_the_firm_then_the_street_with_its_deadline(
    work, firm_user, street_officer, bureau_user, settings
):
    settings.FUNDS_PLAN_DUE_MONTH = 3
    with time_machine.travel(NOW, tick=False):
        firm = _todos(firm_user)
        assert firm["待提交的维修养护计划"].count == 1
        assert firm["待提交的维修养护计划"].due == dt.date(2027, 3, 31)
        review = _todos(street_officer)["待街道审核的维修养护计划"]
        # March 2026 is over: the plan of 2026 is late for its review.
        assert (review.count, review.overdue, review.due) == (1, 1, dt.date(2026, 3, 31))
        assert "待街道审核的维修养护计划" not in _todos(bureau_user)


def test_the_bureau_approves_the_plans_the_street_passed_and_follows_the_ordinary_uses(
    work, firm_user, street_officer, bureau_user, committee_user
):
    with time_machine.travel(NOW, tick=False):
        services.plan_street_review(user=street_officer, plan=work["submitted"], passed=True)
        services.ordinary_record_vote(
            user=committee_user,
            application=work["vote_due"],
            total_area=D("455.75"),
            total_owners=5,
            participating_area=D("455.75"),
            participating_owners=5,
            yes_area=D("455.75"),
            yes_owners=5,
        )
        bureau = _todos(bureau_user)
    assert bureau["待市住建局审批的维修养护计划"].count == 1
    assert bureau["待市住建局审核的一般使用申请"].count == 1


def test_a_returned_plan_and_the_items_to_report_wait_for_the_firm(
    work, firm_user, street_officer, bureau_user
):
    with time_machine.travel(NOW, tick=False):
        services.plan_street_review(
            user=street_officer, plan=work["submitted"], passed=False, comment="缺预算"
        )
        assert _todos(firm_user)["被退回待修改的维修养护计划"].count == 1
        approved = _plan(firm_user, work["submitted"].compound, year=2025, month=11)
        services.plan_submit(user=firm_user, plan=approved)
        services.plan_street_review(user=street_officer, plan=approved, passed=True)
        services.plan_bureau_review(user=bureau_user, plan=approved, approve=True)
        items = _todos(firm_user)["待报告进度的计划项目"]
        assert (items.count, items.overdue) == (1, 1)
        overdue = _todos(street_officer)["逾期的维修养护计划事项"]
        assert (overdue.count, overdue.overdue) == (1, 1)


def test_an_officer_of_another_street_has_nothing_of_this_street_to_do(
    work, other_street_officer, other_community_officer, other_firm_user, other_committee_user
):
    with time_machine.travel(NOW, tick=False):
        for outsider in (
            other_street_officer,
            other_community_officer,
            other_firm_user,
            other_committee_user,
        ):
            assert _todos(outsider) == {}


def test_the_committee_lands_on_its_compounds_fund_plans_applications_and_votes(
    work, client_of, committee_user
):
    with time_machine.travel(NOW, tick=False):
        page = client_of(committee_user).get(reverse("portal:dashboard"))
    assert page.status_code == 200
    html = page.content.decode()
    card = next(c.context for c in page.context["cards"] if c.card.name == "funds.compound")
    assert card["account"].balance == D("44575.00")  # 45,575.00 less the approved 1,000.00
    assert '<dd class="col-6 fs-5" id="fund-balance">¥44,575.00</dd>' in html
    assert [p.year for p in card["plans"]] == [2027, 2026]
    assert {a.title for a in card["emergencies"]} >= {"待完工", "待认定"}
    assert [a.status for a in card["votes"]] == [OrdinaryStatus.PUBLICISED] * 2
    assert "待录入表决结果" in html  # the vote whose publicity is over
    assert "已审批并支出" in html  # an emergency's state, by its label


def test_the_firm_lands_on_its_plans_and_applications_by_status(work, client_of, firm_user):
    with time_machine.travel(NOW, tick=False):
        page = client_of(firm_user).get(reverse("portal:dashboard"))
    card = next(c.context for c in page.context["cards"] if c.card.name == "funds.firm")
    assert {row["label"]: row["count"] for row in card["plans"]} == {
        "草稿": 1,
        "已提交，待街道审核": 1,
    }
    emergencies = {row["label"]: row["count"] for row in card["emergencies"]}
    assert emergencies["已审批并支出"] == 1 and emergencies["已申报，待社区认定"] == 1


def test_the_bureaus_workbench_shows_the_overdue_plans(
    work, client_of, firm_user, street_officer, bureau_user, other_street_officer
):
    with time_machine.travel(NOW, tick=False):
        services.plan_street_review(user=street_officer, plan=work["submitted"], passed=True)
        services.plan_bureau_review(user=bureau_user, plan=work["submitted"], approve=True)
        page = client_of(bureau_user).get(reverse("portal:dashboard"))
        card = next(
            c.context for c in page.context["cards"] if c.card.name == "funds.overdue_plans"
        )
        assert card["count"] == 1 and card["plans"][0].overdue_items == 1
        assert 'id="overdue-plans"' in page.content.decode()
        assert hooks.overdue_plans_card(other_street_officer, TODAY)["count"] == 0


def test_the_cards_and_to_dos_take_a_fixed_number_of_queries(
    account_a,
    firm_user,
    committee_user,
    street_officer,
    bureau_user,
    community_officer,
    django_assert_max_num_queries,
):
    for n in range(4):
        other = CompoundFactory(community=account_a.compound.community, firm=firm_user.firm)
        _plan(firm_user, other, year=2026)
        _emergency(firm_user, account_a.compound, f"电梯{n}")
        _ordinary(committee_user, account_a.compound, TODAY - dt.timedelta(days=20 + n))
    for user in (firm_user, committee_user, street_officer, bureau_user, community_officer):
        with django_assert_max_num_queries(5):
            list(hooks.fund_todos(user, TODAY))
    with django_assert_max_num_queries(5):
        hooks.compound_card(committee_user, TODAY)
    with django_assert_max_num_queries(4):
        hooks.firm_card(firm_user, TODAY)
    with django_assert_max_num_queries(2):
        hooks.overdue_plans_card(bureau_user, TODAY)


FUND_LINKS = [item for item in menu._items if item.url_name.startswith("funds:")]


@pytest.mark.parametrize(
    "who",
    [
        "bureau_user",
        "association_user",
        "street_officer",
        "community_officer",
        "firm_user",
        "committee_user",
    ],
)
def test_a_fund_link_is_on_a_roles_bar_exactly_when_its_page_opens_for_it(
    who, request, client_of, account_a
):
    user = request.getfixturevalue(who)
    client = client_of(user)
    assert FUND_LINKS
    for item in FUND_LINKS:
        status = client.get(reverse(item.url_name)).status_code
        assert item.allowed(user) == (status == 200), (item.url_name, status)
        assert status in (200, 403)


def test_emergency_statuses_waiting_for_a_role_name_that_role():
    assert set(hooks.EMERGENCY_STEP_ROLE) == {
        EmergencyStatus.FILED,
        EmergencyStatus.CERTIFIED,
        EmergencyStatus.CONFIRMED,
    }
