"""Two clerks at once: real transactions in threads. Meaningful on PostgreSQL (CI); SQLite
serialises writers on the whole file and ignores SELECT ... FOR UPDATE, so it is skipped there."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from funds import selectors, services
from funds.choices import EmergencyKind, EmergencyStatus, Scope
from funds.models import EmergencyApplication, Entry, Posting
from tests.concurrency import run_at_once

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks need PostgreSQL; SQLite has no SELECT ... FOR UPDATE",
    ),
]


def test_two_disbursements_against_the_same_households_cannot_overdraw(account_a, bureau_user):
    # Building 2 holds 18000.00; each disbursement alone fits, both together would not.
    def disburse():
        return services.disbursement_post(
            user=bureau_user,
            account=account_a,
            amount=Decimal("12000.00"),
            scope=Scope.BUILDING,
            building="2",
        )

    results = run_at_once(disburse, disburse)
    assert sum(isinstance(r, Posting) for r in results) == 1
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(refused) == 1 and refused[0].code == "overdraft"
    assert Posting.objects.filter(kind="disbursement").count() == 1
    assert selectors.ledger_mismatches() == []
    for household in account_a.households.filter(building="2"):
        assert household.balance >= 0


def test_two_bureau_clerks_approving_the_same_emergency_disburse_once(
    account_a, bureau_user, firm_user, community_officer, street_officer
):
    application = services.emergency_file(
        user=firm_user,
        compound=account_a.compound,
        kind=EmergencyKind.ELEVATOR,
        title="2号楼电梯停运",
        description="曳引机故障",
        quote_amount=Decimal("5000.00"),
    )
    services.emergency_certify(user=community_officer, application=application)
    services.emergency_confirm(user=street_officer, application=application)

    def approve():
        return services.emergency_approve(user=bureau_user, application=application)

    results = run_at_once(approve, approve)
    assert sum(isinstance(r, EmergencyApplication) for r in results) == 1
    assert sum(isinstance(r, ValidationError) for r in results) == 1
    assert Posting.objects.filter(emergency=application).count() == 1
    assert sum(e.amount for e in Entry.objects.filter(posting__emergency=application)) == Decimal(
        "-5000.00"
    )
    application.refresh_from_db()
    assert application.status == EmergencyStatus.APPROVED
    assert selectors.ledger_mismatches() == []
