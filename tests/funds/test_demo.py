from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
import time_machine

from funds import hooks, selectors
from funds.choices import EmergencyStatus, ItemProgress, OrdinaryStatus, PlanStatus
from funds.demo import load_funds_demo, load_plans_demo
from funds.models import (
    EmergencyApplication,
    FundAccount,
    FundNotice,
    Household,
    MaintenancePlan,
    MaintenancePlanItem,
    OrdinaryApplication,
)
from portal.choices import Role
from tests.factories import CompoundFactory


def test_demo_has_accounts_and_applications_in_every_state(
    bureau_user,
    firm_user,
    committee_user,
    community_officer,
    street_officer,
    community_a,
    django_assert_max_num_queries,
):
    CompoundFactory(community=community_a)  # a neighbour: its account needs a top-up
    people = {
        Role.BUREAU: bureau_user,
        Role.FIRM: firm_user,
        Role.OWNERS_COMMITTEE: committee_user,
        Role.COMMUNITY: community_officer,
        Role.STREET: street_officer,
    }
    with django_assert_max_num_queries(2500):
        assert load_funds_demo(people=people) == 2
    assert load_funds_demo(people=people) == 0  # a second run changes nothing
    assert set(EmergencyApplication.objects.values_list("status", flat=True)) == set(
        EmergencyStatus.values
    )
    assert set(OrdinaryApplication.objects.values_list("status", flat=True)) == set(
        OrdinaryStatus.values
    )
    assert EmergencyApplication.objects.overdue().filter(escalated_at__isnull=False).exists()
    assert FundNotice.objects.count() >= 3
    assert selectors.ledger_mismatches() == []
    low = [a for a in selectors.accounts_for_user(user=bureau_user) if a.low]
    assert len(low) == 1 and FundAccount.objects.count() == 2


def test_each_demo_account_holds_every_household_the_registry_counts(
    bureau_user, firm_user, committee_user, community_officer, street_officer, community_a
):
    CompoundFactory(community=community_a, households=57)
    compound = committee_user.compound
    compound.households = 423
    compound.save()
    people = {
        Role.BUREAU: bureau_user,
        Role.FIRM: firm_user,
        Role.OWNERS_COMMITTEE: committee_user,
        Role.COMMUNITY: community_officer,
        Role.STREET: street_officer,
    }
    load_funds_demo(people=people)
    accounts = selectors.accounts_for_user(user=bureau_user)
    assert {a.compound.households: a.household_count for a in accounts} == {423: 423, 57: 57}
    buildings = set(Household.objects.values_list("building", flat=True))
    assert all(b.isdigit() for b in buildings)  # as the ledger writes them: "2" shows as 2栋
    assert selectors.ledger_mismatches() == []


def test_demo_plans_are_in_every_state_a_plan_waits_in(
    bureau_user, firm_user, street_officer, firm_a, compound_a, community_a, community_b
):
    neighbour = CompoundFactory(community=community_a, firm=firm_a)  # in the demo street too
    elsewhere = CompoundFactory(community=community_b, firm=firm_a)  # another street: a draft
    people = {Role.BUREAU: bureau_user, Role.FIRM: firm_user, Role.STREET: street_officer}
    june = dt.datetime(2026, 6, 20, 10, tzinfo=dt.UTC)
    with time_machine.travel(june, tick=False):
        assert load_plans_demo(people=people) == 6
        assert load_plans_demo(people=people) == 0  # a second run changes nothing
    plans = {
        (plan.compound, plan.year): plan.status
        for plan in MaintenancePlan.objects.select_related("compound")
    }
    assert plans == {
        (compound_a, 2025): PlanStatus.APPROVED,
        (compound_a, 2026): PlanStatus.APPROVED,
        (compound_a, 2027): PlanStatus.STREET_PASSED,
        (neighbour, 2026): PlanStatus.SUBMITTED,
        (neighbour, 2027): PlanStatus.RETURNED,
        (elsewhere, 2027): PlanStatus.DRAFT,
    }
    approved = MaintenancePlan.objects.get(compound=compound_a, year=2026)
    assert Counter(approved.items.values_list("progress", flat=True)) == {
        ItemProgress.DONE: 2,
        ItemProgress.IN_PROGRESS: 1,
        ItemProgress.NOT_STARTED: 2,
    }
    assert not MaintenancePlanItem.objects.filter(progress_date__gt=june.date()).exists()
    waiting = selectors.plans_for_user(user=street_officer).filter(status=PlanStatus.SUBMITTED)
    assert [plan.compound for plan in waiting] == [neighbour]


# What each demo role's to-do list must show at least one of, on the demo.
DEMO_TODOS = {
    Role.COMMUNITY: ["已申报，待社区认定"],
    Role.STREET: ["已认定，待街道确认", "待街道审核的维修养护计划", "逾期的维修养护计划事项"],
    Role.BUREAU: [
        "已确认，待市住建局审批",
        "待市住建局审批的维修养护计划",
        "逾期的维修养护计划事项",
        "待市住建局审核的一般使用申请",
        "待拨付首付款的一般使用申请",
        "待拨付尾款的一般使用申请",
    ],
    Role.FIRM: [
        "待提交的维修养护计划",
        "被退回待修改的维修养护计划",
        "待报告进度的计划项目",
        "待报告完工的应急维修",
        "待录入的业主表决结果",
        "待竣工验收的维修工程",
    ],
    Role.OWNERS_COMMITTEE: ["待报告完工的应急维修", "待录入的业主表决结果", "待竣工验收的维修工程"],
}


@pytest.mark.parametrize("day", [dt.date(2026, 1, 10), dt.date(2026, 11, 29)])
def test_the_demo_gives_every_role_one_item_of_each_kind_of_fund_work(
    day,
    bureau_user,
    firm_user,
    committee_user,
    community_officer,
    street_officer,
    firm_a,
    community_a,
    community_b,
):
    CompoundFactory(community=community_a, firm=firm_a)
    CompoundFactory(community=community_b, firm=firm_a)
    people = {
        Role.BUREAU: bureau_user,
        Role.FIRM: firm_user,
        Role.OWNERS_COMMITTEE: committee_user,
        Role.COMMUNITY: community_officer,
        Role.STREET: street_officer,
    }
    with time_machine.travel(dt.datetime.combine(day, dt.time(10), dt.UTC), tick=False):
        load_funds_demo(people=people)
        load_plans_demo(people=people)
        for role, labels in DEMO_TODOS.items():
            shown = {item.label: item.count for item in hooks.fund_todos(people[role], day)}
            missing = [label for label in labels if not shown.get(label)]
            assert not missing, (role, missing)
