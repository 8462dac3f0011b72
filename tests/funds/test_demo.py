from __future__ import annotations

import datetime as dt
from collections import Counter

import time_machine

from funds import selectors
from funds.choices import EmergencyStatus, ItemProgress, OrdinaryStatus, PlanStatus
from funds.demo import load_funds_demo, load_plans_demo
from funds.models import (
    EmergencyApplication,
    FundAccount,
    FundNotice,
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


def test_demo_plans_are_approved_with_progress_submitted_and_draft(
    bureau_user, firm_user, street_officer, firm_a, compound_a, community_a, community_b
):
    neighbour = CompoundFactory(community=community_a, firm=firm_a)  # in the demo street too
    CompoundFactory(community=community_b, firm=firm_a)  # another street: the draft's
    people = {Role.BUREAU: bureau_user, Role.FIRM: firm_user, Role.STREET: street_officer}
    june = dt.datetime(2026, 6, 20, 10, tzinfo=dt.UTC)
    with time_machine.travel(june, tick=False):
        assert load_plans_demo(people=people) == 3
        assert load_plans_demo(people=people) == 0  # a second run changes nothing
    plans = {plan.status: plan for plan in MaintenancePlan.objects.all()}
    assert set(plans) == {PlanStatus.APPROVED, PlanStatus.SUBMITTED, PlanStatus.DRAFT}
    approved, submitted = plans[PlanStatus.APPROVED], plans[PlanStatus.SUBMITTED]
    assert (approved.compound, approved.year) == (compound_a, 2026)
    assert (submitted.compound, submitted.year) == (neighbour, 2026)
    assert plans[PlanStatus.DRAFT].year == 2027
    assert Counter(approved.items.values_list("progress", flat=True)) == {
        ItemProgress.DONE: 2,
        ItemProgress.IN_PROGRESS: 1,
        ItemProgress.NOT_STARTED: 2,
    }
    assert not MaintenancePlanItem.objects.filter(progress_date__gt=june.date()).exists()
    waiting = selectors.plans_for_user(user=street_officer).filter(status=PlanStatus.SUBMITTED)
    assert list(waiting) == [submitted]
