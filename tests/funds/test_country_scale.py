"""The fund lists at the size of a country (issue 14): figures computed for the rows shown,
counts that stop at the cap, searches an index answers. bench/scale.py times the pages;
these tests keep what makes them flat."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from funds import selectors
from funds.choices import EmergencyKind, EmergencyStatus, Scope
from funds.models import EmergencyApplication, FundAccount, Household
from portal.params import CappedPaginator
from tests.factories import CompoundFactory

ACCOUNTS = reverse("funds:account_list")
EMERGENCIES = reverse("funds:emergency_list")
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the indexes are PostgreSQL's"
)


def _accounts(community, n: int) -> list[FundAccount]:
    """n accounts of two households each: 1,000.00 deposited, `balance` held."""
    compounds = CompoundFactory.create_batch(n, community=community)
    accounts = FundAccount.objects.bulk_create(FundAccount(compound=c) for c in compounds)
    Household.objects.bulk_create(
        Household(
            account=account,
            building="1",
            room=room,
            floor_area=Decimal("80.00"),
            owner_name="张三",
            initial_deposit=Decimal("1000.00"),
            balance=Decimal("500.00"),
        )
        for account in accounts
        for room in ("101", "102")
    )
    return accounts


def _emergencies(compound, n: int, status: str = EmergencyStatus.FILED, **fields) -> None:
    """n applications at `status`, filed an hour apart, due within a day (`fields` override)."""
    now = timezone.now()
    EmergencyApplication.objects.bulk_create(
        EmergencyApplication(
            compound=compound,
            scope=Scope.COMPOUND,
            kind=EmergencyKind.LEAK,
            title=f"屋面渗漏{i}",
            description="顶层漏水",
            quote_amount=Decimal("1000.00"),
            status=status,
            **{
                "filed_at": now - dt.timedelta(hours=i),
                "step_due_at": now + dt.timedelta(hours=24 - i),
                **fields,
            },
        )
        for i in range(n)
    )


def _queries(client, url: str, params: dict | None = None) -> int:
    client.get(url, params)  # the session's first read aside
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    return len(queries)


# --- fund accounts ---------------------------------------------------------------------------


def test_the_account_list_costs_the_same_queries_at_any_size(client_of, bureau_user, community_a):
    client = client_of(bureau_user)
    _accounts(community_a, 3)
    few = _queries(client, ACCOUNTS), _queries(client, ACCOUNTS, {"page": 2})
    _accounts(community_a, 120)
    assert (_queries(client, ACCOUNTS), _queries(client, ACCOUNTS, {"page": 2})) == few


def test_each_account_shown_has_its_own_households_figures(client_of, bureau_user, community_a):
    accounts = _accounts(community_a, 60)
    Household.objects.filter(account=accounts[-1], room="101").update(balance=Decimal("50.00"))
    page = client_of(bureau_user).get(ACCOUNTS, {"page": 2}).context["page_obj"]
    rows = {account.pk: account for account in page}
    assert len(rows) == 10
    last = rows[accounts[-1].pk]
    assert (last.household_count, last.initial_deposits, last.balance) == (
        2,
        Decimal("2000.00"),
        Decimal("550.00"),
    )
    assert last.low  # 550 of 2,000 deposited is below 30 %
    assert not any(account.low for pk, account in rows.items() if pk != last.pk)


def test_the_top_up_filter_shows_the_accounts_below_the_ratio(client_of, bureau_user, community_a):
    accounts = _accounts(community_a, 4)
    Household.objects.filter(account=accounts[2]).update(balance=Decimal("100.00"))
    page = client_of(bureau_user).get(ACCOUNTS, {"low": 1}).context["page_obj"]
    assert [account.pk for account in page] == [accounts[2].pk]


def test_accounts_are_found_as_the_registry_finds_their_compounds(
    client_of, bureau_user, community_a, firm_b
):
    accounts = _accounts(community_a, 3)
    compound = accounts[1].compound
    compound.name, compound.firm = "金山花园", firm_b
    compound.save()
    client = client_of(bureau_user)
    for q in ("山花", compound.code.lower(), firm_b.name[:4]):
        page = client.get(ACCOUNTS, {"q": q}).context["page_obj"]
        assert [account.pk for account in page] == [accounts[1].pk], q


def test_the_account_list_counts_up_to_its_cap_and_says_more(
    client_of, bureau_user, community_a, monkeypatch
):
    monkeypatch.setattr(CappedPaginator, "cap", 3)
    _accounts(community_a, 5)
    response = client_of(bureau_user).get(ACCOUNTS)
    assert response.context["page_obj"].paginator.capped
    assert "超过 3" in response.content.decode()


# --- emergency use ---------------------------------------------------------------------------


def test_the_emergency_list_costs_the_same_queries_at_any_size(
    client_of, bureau_user, street_officer, compound_a
):
    _emergencies(compound_a, 2)
    counts = {
        user: _queries(client_of(user), EMERGENCIES) for user in (bureau_user, street_officer)
    }
    _emergencies(compound_a, 120)
    _emergencies(compound_a, 30, status=EmergencyStatus.CERTIFIED)
    for user, few in counts.items():
        assert _queries(client_of(user), EMERGENCIES) == few


def test_the_board_counts_each_step_up_to_its_cap_and_says_more(
    client_of, bureau_user, compound_a, monkeypatch
):
    monkeypatch.setattr(selectors, "COUNT_CAP", 3)
    _emergencies(compound_a, 5)
    _emergencies(compound_a, 2, status=EmergencyStatus.CONFIRMED, step_due_at=timezone.now())
    board = {step.status: step for step in selectors.emergency_board(user=bureau_user)}
    filed, confirmed = board[EmergencyStatus.FILED], board[EmergencyStatus.CONFIRMED]
    assert filed.capped and filed.count == 3
    assert not confirmed.capped and (confirmed.count, confirmed.overdue) == (2, 2)
    assert board[EmergencyStatus.CERTIFIED].count == 0
    content = client_of(bureau_user).get(EMERGENCIES).content.decode()
    assert "超过 3" in content


def test_the_board_tells_the_oldest_and_the_earliest_deadline_of_each_step(bureau_user, compound_a):
    _emergencies(compound_a, 3)
    oldest = EmergencyApplication.objects.order_by("filed_at")[0]
    earliest = EmergencyApplication.objects.order_by("step_due_at")[0]
    board = {step.status: step for step in selectors.emergency_board(user=bureau_user)}
    assert board[EmergencyStatus.FILED].oldest_filed_at == oldest.filed_at
    assert board[EmergencyStatus.FILED].earliest_due == earliest.step_due_at
    assert board[EmergencyStatus.CONFIRMED].oldest_filed_at is None


@postgresql_only
def test_the_emergency_indexes_exist(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE 'emergency_%%'")
        names = {row[0] for row in cursor.fetchall()}
    assert {"emergency_newest", "emergency_status_filed", "emergency_status_due"} <= names


@postgresql_only
def test_the_board_reads_its_figures_from_the_indexes(bureau_user, compound_a):
    _emergencies(compound_a, 3)
    with CaptureQueriesContext(connection) as queries:
        selectors.emergency_board(user=bureau_user)
    (query,) = queries.captured_queries
    with connection.cursor() as cursor:
        # A test database holds a handful of rows, where reading the table is cheapest: ask
        # the planner what it does when it must not, as with a country's 60,000 applications.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + query["sql"])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "emergency_status_filed" in plan and "emergency_status_due" in plan


def test_the_bureaus_to_do_says_more_than_the_cap(client_of, bureau_user, compound_a, monkeypatch):
    monkeypatch.setattr(selectors, "COUNT_CAP", 3)
    _emergencies(compound_a, 5, status=EmergencyStatus.CONFIRMED, step_due_at=timezone.now())
    content = client_of(bureau_user).get("/dashboard/").content.decode()
    assert "超过 3" in content
