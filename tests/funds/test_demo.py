from __future__ import annotations

from funds import selectors
from funds.choices import EmergencyStatus, OrdinaryStatus
from funds.demo import load_funds_demo
from funds.models import EmergencyApplication, FundAccount, FundNotice, OrdinaryApplication
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
