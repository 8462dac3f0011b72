from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from funds import selectors, services
from funds.choices import EntryKind, Scope
from funds.models import Entry, FundAccount, Household, Posting

D = Decimal


def balances(account: FundAccount) -> dict[str, Decimal]:
    return {
        f"{h.building}-{h.unit}-{h.room}": h.balance
        for h in account.households.order_by("building", "unit", "room")
    }


def assert_ledger_consistent():
    assert selectors.ledger_mismatches() == []


def test_initial_deposits_are_posted_and_balances_equal_the_entries(account_a):
    assert balances(account_a)["1-1-101"] == D("9000.00")
    assert Entry.objects.filter(kind=EntryKind.DEPOSIT).count() == 5
    assert_ledger_consistent()


def test_interest_is_shared_pro_rata_by_balance_and_sums_exactly(account_a, bureau_user):
    posting = services.interest_allocate(user=bureau_user, account=account_a, amount=D("100.00"))
    entries = list(posting.entries.all())
    assert sum(e.amount for e in entries) == D("100.00")
    # 9000 of 45575 is 19.7477...: rounded down to 19.74 or given the leftover cent.
    share = next(e.amount for e in entries if e.household.owner_name == "张三丰")
    assert share in (D("19.74"), D("19.75"))
    assert_ledger_consistent()


def test_disbursement_is_shared_by_floor_area_over_the_scope_to_the_cent(account_a, bureau_user):
    posting = services.disbursement_post(
        user=bureau_user, account=account_a, amount=D("1000.00"), scope=Scope.BUILDING, building="1"
    )
    entries = list(posting.entries.select_related("household"))
    assert {e.household.building for e in entries} == {"1"}
    assert sum(e.amount for e in entries) == D("-1000.00")
    # Exact: 326.382, 400.725, 272.892 (cents); the leftover cent goes to the .725 share.
    by_room = {(e.household.unit, e.household.room): -e.amount for e in entries}
    assert by_room == {
        ("1", "101"): D("326.38"),
        ("1", "102"): D("400.73"),
        ("2", "201"): D("272.89"),
    }
    assert posting.amount == D("1000.00")
    assert_ledger_consistent()


def test_unit_scope_touches_only_that_unit(account_a, bureau_user):
    posting = services.disbursement_post(
        user=bureau_user,
        account=account_a,
        amount=D("10.00"),
        scope=Scope.UNIT,
        building="1",
        unit="2",
    )
    assert [e.household.room for e in posting.entries.all()] == ["201"]


def test_a_share_that_would_overdraw_blocks_the_disbursement_naming_the_household(
    account_a, bureau_user
):
    before = balances(account_a)
    postings = Posting.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.disbursement_post(
            user=bureau_user,
            account=account_a,
            amount=D("30000.00"),
            scope=Scope.BUILDING,
            building="2",
        )
    assert exc.value.code == "overdraft"
    message = " ".join(exc.value.messages)
    assert "赵**" in message or "欧**" in message
    assert "赵六" not in message
    assert balances(account_a) == before
    assert Posting.objects.count() == postings


def test_disbursement_above_the_whole_balance_is_refused(account_a, bureau_user):
    with pytest.raises(ValidationError):
        services.disbursement_post(
            user=bureau_user, account=account_a, amount=D("1000000.00"), scope=Scope.COMPOUND
        )
    assert_ledger_consistent()


@pytest.mark.parametrize("amount", [D("-5.00"), D("0"), D("10.005"), 10.5, "abc", D("NaN")])
def test_bad_amounts_are_refused_and_nothing_is_written(account_a, bureau_user, amount):
    household = account_a.households.first()
    count = Entry.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.deposit_post(user=bureau_user, household=household, amount=amount)
    assert "amount" in exc.value.message_dict
    assert Entry.objects.count() == count


def test_refund_cannot_exceed_the_balance(account_a, bureau_user):
    household = account_a.households.get(room="102", building="2")
    with pytest.raises(ValidationError) as exc:
        services.refund_post(user=bureau_user, household=household, amount=D("6000.01"))
    assert exc.value.code == "overdraft"
    services.refund_post(user=bureau_user, household=household, amount=D("6000.00"))
    household.refresh_from_db()
    assert household.balance == D("0.00")
    assert_ledger_consistent()


def test_a_mistake_is_reversed_by_a_counter_posting_and_nothing_is_deleted(account_a, bureau_user):
    household = account_a.households.first()
    wrong = services.deposit_post(user=bureau_user, household=household, amount=D("500.00"))
    reversal = services.posting_reverse(user=bureau_user, posting=wrong)
    household.refresh_from_db()
    assert household.balance == D("9000.00")
    assert reversal.reverses == wrong
    assert Entry.objects.filter(posting=wrong).exists()
    with pytest.raises(ValidationError):
        services.posting_reverse(user=bureau_user, posting=wrong)
    with pytest.raises(ValidationError):
        services.posting_reverse(user=bureau_user, posting=reversal)
    assert_ledger_consistent()


def test_reversing_a_disbursement_gives_every_share_back(account_a, bureau_user):
    before = balances(account_a)
    posting = services.disbursement_post(
        user=bureau_user, account=account_a, amount=D("333.33"), scope=Scope.COMPOUND
    )
    services.posting_reverse(user=bureau_user, posting=posting)
    assert balances(account_a) == before


def test_ledger_rows_cannot_be_changed_or_deleted(account_a):
    entry = Entry.objects.first()
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()
    with pytest.raises(ValidationError):
        entry.posting.delete()


def test_the_database_refuses_a_negative_balance(account_a):
    household = account_a.households.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Household.objects.filter(pk=household.pk).update(balance=D("-0.01"))


def test_only_bureau_staff_move_money(account_a, firm_user, street_officer):
    household = account_a.households.first()
    for user in (firm_user, street_officer):
        with pytest.raises(ValidationError):
            services.deposit_post(user=user, household=household, amount=D("1.00"))


def test_accounts_below_thirty_percent_of_initial_deposits_are_flagged(account_a, bureau_user):
    account = selectors.accounts_for_user(user=bureau_user).get(pk=account_a.pk)
    assert account.balance == D("45575.00") and not account.low
    services.disbursement_post(
        user=bureau_user, account=account_a, amount=D("31903.00"), scope=Scope.COMPOUND
    )
    account = selectors.accounts_for_user(user=bureau_user).get(pk=account_a.pk)
    # 45575 * 0.3 = 13672.50; the balance is now 13672.00.
    assert account.balance == D("13672.00")
    assert account.low
    assert selectors.account_needs_top_up(account)


def test_money_movements_leave_history_with_who_and_before_after(account_a, bureau_user):
    household = account_a.households.first()
    services.deposit_post(user=bureau_user, household=household, amount=D("1.00"))
    latest, previous = household.history.order_by("-history_id")[:2]
    assert latest.history_user == bureau_user
    assert latest.balance == previous.balance + D("1.00")


def test_every_account_balance_equals_the_sum_of_its_entries(account_a, account_b, bureau_user):
    services.interest_allocate(user=bureau_user, account=account_a, amount=D("12.34"))
    services.interest_allocate(user=bureau_user, account=account_b, amount=D("0.01"))
    services.disbursement_post(
        user=bureau_user, account=account_a, amount=D("777.77"), scope=Scope.COMPOUND
    )
    assert_ledger_consistent()
    for account in FundAccount.objects.all():
        for household in account.households.all():
            assert household.balance == sum((e.amount for e in household.entries.all()), D("0"))
            assert household.balance >= 0
