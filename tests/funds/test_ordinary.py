from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from funds import selectors, services
from funds.choices import NoticeKind, OrdinaryStatus, Scope
from funds.models import FundNotice, OwnersVote, Posting

D = Decimal
DAY0 = dt.date(2026, 4, 1)

PASSING = {
    "total_area": D("455.75"),
    "total_owners": 5,
    "participating_area": D("400.00"),
    "participating_owners": 4,
    "yes_area": D("300.00"),
    "yes_owners": 3,
}


@pytest.fixture
def application(account_a, committee_user):
    with time_machine.travel(DAY0, tick=False):
        return services.ordinary_file(
            user=committee_user,
            compound=account_a.compound,
            title="更换消防水泵",
            items="消防水泵两台",
            budget=D("10000.00"),
            scope=Scope.COMPOUND,
        )


def vote(application, user, **overrides):
    figures = {**PASSING, **overrides}
    return services.ordinary_record_vote(user=user, application=application, **figures)


def test_filing_publicises_the_plan_for_seven_days(application):
    assert application.status == OrdinaryStatus.PUBLICISED
    assert application.publicity_end == DAY0 + dt.timedelta(days=6)
    notice = FundNotice.objects.get(ordinary=application)
    assert notice.kind == NoticeKind.ORDINARY_PLAN


def test_a_shorter_publicity_is_refused(account_a, committee_user):
    with pytest.raises(ValidationError) as exc:
        services.ordinary_file(
            user=committee_user,
            compound=account_a.compound,
            title="t",
            items="i",
            budget=D("1.00"),
            publicity_days=6,
        )
    assert "publicity_days" in exc.value.message_dict


def test_the_vote_waits_for_the_end_of_the_publicity(application, committee_user):
    with time_machine.travel(DAY0 + dt.timedelta(days=6), tick=False):
        with pytest.raises(ValidationError) as exc:
            vote(application, committee_user)
        assert exc.value.code == "publicity"
    with time_machine.travel(DAY0 + dt.timedelta(days=7), tick=False):
        result = vote(application, committee_user)
    assert result.passed
    application.refresh_from_db()
    assert application.status == OrdinaryStatus.VOTED


def test_a_failed_vote_is_recorded_and_the_application_cannot_proceed(
    application, committee_user, bureau_user
):
    with time_machine.travel(DAY0 + dt.timedelta(days=8), tick=False):
        result = vote(application, committee_user, yes_area=D("200.00"))
    assert not result.passed and result.reasons
    application.refresh_from_db()
    assert application.status == OrdinaryStatus.VOTE_FAILED
    with pytest.raises(ValidationError):
        services.ordinary_review(user=bureau_user, application=application, approve=True)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"yes_area": D("400.01")}, "yes_area"),
        ({"yes_owners": 5}, "yes_owners"),
        ({"participating_area": D("500.00")}, "participating_area"),
    ],
)
def test_impossible_vote_figures_are_refused_and_nothing_is_written(
    application, committee_user, overrides, field
):
    with (
        time_machine.travel(DAY0 + dt.timedelta(days=8), tick=False),
        pytest.raises(ValidationError) as exc,
    ):
        vote(application, committee_user, **overrides)
    assert field in exc.value.message_dict
    assert not OwnersVote.objects.exists()
    application.refresh_from_db()
    assert application.status == OrdinaryStatus.PUBLICISED


def test_the_full_flow_pays_seventy_then_the_rest_and_publishes_the_result(
    application, committee_user, bureau_user
):
    with time_machine.travel(DAY0 + dt.timedelta(days=8), tick=False):
        vote(application, committee_user)
    with pytest.raises(ValidationError):  # no payment before the review
        services.ordinary_pay_first(user=bureau_user, application=application)
    services.ordinary_review(user=bureau_user, application=application, approve=True)
    first = services.ordinary_pay_first(user=bureau_user, application=application)
    assert first.amount == D("7000.00")
    with pytest.raises(ValidationError):  # no final payment before acceptance
        services.ordinary_pay_final(user=bureau_user, application=application)
    with pytest.raises(ValidationError) as exc:
        services.ordinary_accept(
            user=committee_user, application=application, final_cost=D("6999.99")
        )
    assert "final_cost" in exc.value.message_dict
    services.ordinary_accept(user=committee_user, application=application, final_cost=D("9500.00"))
    services.ordinary_pay_final(user=bureau_user, application=application)
    application.refresh_from_db()
    assert application.status == OrdinaryStatus.CLOSED
    paid = sum(p.amount for p in Posting.objects.filter(ordinary=application))
    assert paid == D("9500.00")
    notice = FundNotice.objects.get(ordinary=application, kind=NoticeKind.ORDINARY_RESULT)
    assert (notice.publicity_end - notice.publicity_start).days + 1 == 10
    assert sum(D(s["share"]) for s in notice.shares) == D("9500.00")
    assert selectors.ledger_mismatches() == []


def test_the_bureau_returns_with_a_reason(application, committee_user, bureau_user, street_officer):
    with time_machine.travel(DAY0 + dt.timedelta(days=8), tick=False):
        vote(application, committee_user)
    with pytest.raises(ValidationError):
        services.ordinary_review(user=street_officer, application=application, approve=True)
    with pytest.raises(ValidationError) as exc:
        services.ordinary_review(user=bureau_user, application=application, approve=False)
    assert "comment" in exc.value.message_dict
    services.ordinary_review(
        user=bureau_user, application=application, approve=False, comment="预算依据不足"
    )
    application.refresh_from_db()
    assert application.status == OrdinaryStatus.RETURNED


def test_raising_the_fund_needs_three_quarters(account_a, committee_user):
    with time_machine.travel(DAY0, tick=False):
        application = services.ordinary_file(
            user=committee_user,
            compound=account_a.compound,
            title="续筹维修资金",
            items="续筹",
            budget=D("1000.00"),
            raises_fund=True,
        )
    with time_machine.travel(DAY0 + dt.timedelta(days=8), tick=False):
        # 300 of 400 (exactly 3/4) and 3 of 4 owners pass.
        assert vote(application, committee_user).passed


def test_other_compounds_cannot_file_or_vote(application, other_committee_user, account_a):
    with pytest.raises(ValidationError):
        services.ordinary_file(
            user=other_committee_user,
            compound=account_a.compound,
            title="t",
            items="i",
            budget=D("1.00"),
        )
    with (
        time_machine.travel(DAY0 + dt.timedelta(days=8), tick=False),
        pytest.raises(ValidationError),
    ):
        vote(application, other_committee_user)
