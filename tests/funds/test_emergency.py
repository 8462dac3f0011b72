from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from funds import selectors, services
from funds.choices import EmergencyKind, EmergencyStatus, NoticeKind, Scope
from funds.models import EmergencyApplication, FundNotice, Posting

D = Decimal
SHANGHAI = ZoneInfo("Asia/Shanghai")
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)


def file(user, compound, **overrides):
    fields = {
        "kind": EmergencyKind.LEAK,
        "title": "1号楼屋面渗漏",
        "description": "顶层三户漏水",
        "quote_amount": D("2757.50"),
        "scope": Scope.BUILDING,
        "building": "1",
    }
    fields.update(overrides)
    return services.emergency_file(user=user, compound=compound, **fields)


@pytest.fixture
def filed(account_a, firm_user):
    with time_machine.travel(T0, tick=False):
        return file(firm_user, account_a.compound)


def test_the_whole_flow_disburses_by_floor_area_and_publishes_a_masked_notice(
    filed, community_officer, street_officer, bureau_user
):
    services.emergency_certify(user=community_officer, application=filed)
    services.emergency_confirm(user=street_officer, application=filed)
    services.emergency_approve(user=bureau_user, application=filed)
    filed.refresh_from_db()
    assert filed.status == EmergencyStatus.APPROVED
    assert filed.approved_amount == D("2757.50")
    posting = Posting.objects.get(emergency=filed)
    assert sum(e.amount for e in posting.entries.all()) == D("-2757.50")
    notice = FundNotice.objects.get(emergency=filed)
    assert notice.kind == NoticeKind.EMERGENCY
    assert (notice.publicity_end - notice.publicity_start).days + 1 >= 10
    assert sum(D(s["share"]) for s in notice.shares) == D("2757.50")
    owners = {s["owner"] for s in notice.shares}
    assert owners == {"张**", "李**", "王**"}
    assert "张三丰" not in str(notice.shares) + notice.body
    assert selectors.ledger_mismatches() == []


def test_the_committee_of_the_compound_may_file_too(account_a, committee_user):
    assert file(committee_user, account_a.compound).status == EmergencyStatus.FILED


def test_outsiders_cannot_file(account_a, other_firm_user, other_committee_user, street_officer):
    for user in (other_firm_user, other_committee_user, street_officer):
        with pytest.raises(ValidationError):
            file(user, account_a.compound)
    assert not EmergencyApplication.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"quote_amount": D("-1.00")}, "quote_amount"),
        ({"quote_amount": D("1.001")}, "quote_amount"),
        ({"kind": "meteor"}, "kind"),
        ({"scope": Scope.BUILDING, "building": ""}, "building"),
        ({"scope": Scope.BUILDING, "building": "9"}, "scope"),
    ],
)
def test_bad_filings_are_refused_naming_the_field(account_a, firm_user, overrides, field):
    with pytest.raises(ValidationError) as exc:
        file(firm_user, account_a.compound, **overrides)
    assert field in exc.value.message_dict
    assert not EmergencyApplication.objects.exists()


def test_steps_cannot_be_skipped(filed, street_officer, bureau_user, community_officer):
    with pytest.raises(ValidationError) as exc:
        services.emergency_confirm(user=street_officer, application=filed)
    assert exc.value.code == "wrong_step"
    with pytest.raises(ValidationError) as exc:
        services.emergency_approve(user=bureau_user, application=filed)
    assert exc.value.code == "wrong_step"
    services.emergency_certify(user=community_officer, application=filed)
    with pytest.raises(ValidationError):
        services.emergency_approve(user=bureau_user, application=filed)
    with pytest.raises(ValidationError):
        services.emergency_certify(user=community_officer, application=filed)
    assert not Posting.objects.filter(emergency=filed).exists()


def test_only_the_compounds_community_certifies_and_only_its_street_confirms(
    filed,
    other_community_officer,
    street_officer,
    other_street_officer,
    community_officer,
    firm_user,
    bureau_user,
):
    for user in (other_community_officer, street_officer, firm_user, bureau_user):
        with pytest.raises(ValidationError) as exc:
            services.emergency_certify(user=user, application=filed)
        assert exc.value.code == "not_allowed"
    services.emergency_certify(user=community_officer, application=filed)
    for user in (other_street_officer, community_officer):
        with pytest.raises(ValidationError) as exc:
            services.emergency_confirm(user=user, application=filed)
        assert exc.value.code == "not_allowed"
    filed.refresh_from_db()
    assert filed.status == EmergencyStatus.CERTIFIED


def test_each_step_has_a_deadline_clock_and_overdue_steps_are_escalated_not_approved(
    filed, community_officer, settings
):
    assert filed.step_due_at == T0 + dt.timedelta(hours=24)
    with time_machine.travel(T0 + dt.timedelta(hours=23, minutes=59), tick=False):
        assert not filed.is_overdue()
        assert services.emergency_escalate_overdue() == 0
    with time_machine.travel(T0 + dt.timedelta(hours=24, minutes=1), tick=False):
        assert filed.is_overdue()
        assert list(EmergencyApplication.objects.overdue()) == [filed]
        assert services.emergency_escalate_overdue() == 1
        assert services.emergency_escalate_overdue() == 0  # safe to run twice
        filed.refresh_from_db()
        assert filed.escalated_at is not None
        assert filed.status == EmergencyStatus.FILED  # never silently approved
        services.emergency_certify(user=community_officer, application=filed)
        filed.refresh_from_db()
        # The next step gets a fresh clock and a clean escalation flag.
        assert filed.step_due_at == T0 + dt.timedelta(hours=48, minutes=1)
        assert filed.escalated_at is None
    with time_machine.travel(T0 + dt.timedelta(hours=49), tick=False):
        assert filed.is_overdue()


def test_the_step_length_is_a_setting(account_a, firm_user, settings):
    settings.FUNDS_EMERGENCY_STEP_HOURS = 4
    with time_machine.travel(T0, tick=False):
        application = file(firm_user, account_a.compound)
    assert application.step_due_at == T0 + dt.timedelta(hours=4)


def test_the_board_counts_waiting_applications_by_step_with_overdue(
    filed, account_a, firm_user, bureau_user
):
    with time_machine.travel(T0 + dt.timedelta(hours=30), tick=False):
        file(firm_user, account_a.compound)
        board = {row.status: row for row in selectors.emergency_board(user=bureau_user)}
    assert board[EmergencyStatus.FILED].count == 2
    assert board[EmergencyStatus.FILED].overdue == 1
    assert board[EmergencyStatus.CERTIFIED].count == 0


def test_an_overdrawing_share_blocks_the_approval_and_nothing_is_written(
    account_a, firm_user, community_officer, street_officer, bureau_user
):
    application = file(firm_user, account_a.compound, quote_amount=D("30000.00"), building="2")
    services.emergency_certify(user=community_officer, application=application)
    services.emergency_confirm(user=street_officer, application=application)
    with pytest.raises(ValidationError) as exc:
        services.emergency_approve(user=bureau_user, application=application)
    assert exc.value.code == "overdraft"
    application.refresh_from_db()
    assert application.status == EmergencyStatus.CONFIRMED
    assert not Posting.objects.filter(emergency=application).exists()
    assert not FundNotice.objects.filter(emergency=application).exists()


def test_the_bureau_may_approve_less_than_the_quote_but_not_more(
    filed, community_officer, street_officer, bureau_user
):
    services.emergency_certify(user=community_officer, application=filed)
    services.emergency_confirm(user=street_officer, application=filed)
    with pytest.raises(ValidationError) as exc:
        services.emergency_approve(user=bureau_user, application=filed, amount=D("9999.00"))
    assert "amount" in exc.value.message_dict
    services.emergency_approve(user=bureau_user, application=filed, amount=D("2000.00"))
    filed.refresh_from_db()
    assert filed.approved_amount == D("2000.00")


def test_rejection_needs_the_current_steps_holder_and_a_reason(
    filed, community_officer, street_officer
):
    with pytest.raises(ValidationError):
        services.emergency_reject(user=street_officer, application=filed, reason="不紧急")
    with pytest.raises(ValidationError):
        services.emergency_reject(user=community_officer, application=filed, reason=" ")
    services.emergency_reject(user=community_officer, application=filed, reason="不属于紧急情况")
    filed.refresh_from_db()
    assert filed.status == EmergencyStatus.REJECTED
    with pytest.raises(ValidationError):
        services.emergency_certify(user=community_officer, application=filed)


def test_approval_and_steps_leave_history(filed, community_officer):
    services.emergency_certify(user=community_officer, application=filed)
    latest = filed.history.latest()
    assert latest.history_user == community_officer
    assert latest.status == EmergencyStatus.CERTIFIED
    assert latest.prev_record.status == EmergencyStatus.FILED


def test_the_applicant_reports_completion(
    filed, community_officer, street_officer, bureau_user, firm_user
):
    services.emergency_certify(user=community_officer, application=filed)
    services.emergency_confirm(user=street_officer, application=filed)
    with pytest.raises(ValidationError):
        services.emergency_complete(user=firm_user, application=filed)
    services.emergency_approve(user=bureau_user, application=filed)
    services.emergency_complete(user=firm_user, application=filed)
    filed.refresh_from_db()
    assert filed.status == EmergencyStatus.COMPLETED
