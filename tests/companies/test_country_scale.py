"""The registry at the size of a country (issue 14): searches an index answers, lists that
count no further than they show, coverage tables of a city's length. bench/scale.py times
the pages; these tests keep what makes them flat."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from companies import coverage, selectors, views
from companies.models import Compound, Firm
from portal.params import CappedPaginator
from tests.factories import CompoundFactory, FirmFactory, make_credit_code

LIST = reverse("companies:compound_list")
FIRMS = reverse("companies:firm_list")
PUBLIC_SEARCH = reverse("companies:public_firm_search")
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the search indexes are PostgreSQL's"
)


def _names(queryset) -> set[str]:
    return set(queryset.values_list("name", flat=True))


# --- search by a fragment --------------------------------------------------------------------


def test_a_fragment_finds_what_icontains_finds(db):
    FirmFactory(name="金山物业服务有限公司")
    FirmFactory(name="业物安居有限公司")  # every character of 物业, not the two together
    FirmFactory(name="Golden Hill Property")
    for fragment in ["物业", "金山物业", "金", "golden", "HILL", "不存在"]:
        assert _names(Firm.objects.filter(name__fragment=fragment)) == _names(
            Firm.objects.filter(name__icontains=fragment)
        ), fragment
    assert _names(Firm.objects.filter(name__fragment="物业")) == {"金山物业服务有限公司"}


def test_a_compound_is_found_by_code_name_or_its_firms_name(db, compound_a, compound_b):
    compounds = Compound.objects.all()
    assert list(selectors.compound_search(compounds, compound_b.code.lower())) == [compound_b]
    assert list(selectors.compound_search(compounds, "东苑")) == [compound_a]
    assert list(selectors.compound_search(compounds, "西山物业")) == [compound_b]


def test_a_firm_is_found_by_a_part_of_its_credit_code(db, firm_a, firm_b):
    assert list(selectors.firm_search(Firm.objects.all(), firm_b.credit_code[-8:])) == [firm_b]


def test_a_search_matching_many_compounds_reads_their_firms_in_a_subquery(
    db, compound_a, compound_b, firm_a, monkeypatch
):
    monkeypatch.setattr(selectors, "SEARCH_IDS_MAX", 0)  # every match is "many"
    assert list(selectors.firm_search(Firm.objects.all(), "东苑")) == [firm_a]
    assert list(selectors.compound_search(Compound.objects.all(), "东方")) == [compound_a]


@postgresql_only
def test_the_search_indexes_exist(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE 'companies_%%'")
        names = {row[0] for row in cursor.fetchall()}
    assert {
        "companies_firm_name_chars",
        "companies_compound_name_chars",
        "companies_firm_credit_code_trgm",
        "companies_compound_code_trgm",
    } <= names


def _plan(queryset) -> str:
    sql, params = queryset.order_by().query.sql_with_params()  # the search, not the order
    with connection.cursor() as cursor:
        # A test database holds a handful of rows, where reading the table is cheapest: ask
        # the planner what it does when it must not, as with a country's 600,000 rows.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@postgresql_only
def test_the_searches_use_the_indexes(db, compound_a, compound_b):
    compounds = Compound.objects.all()
    assert "companies_compound_name_chars" in _plan(selectors.compound_search(compounds, "花园"))
    assert "companies_compound_code_trgm" in _plan(
        selectors.compound_search(compounds, compound_a.code[-4:])
    )
    assert "companies_firm_name_chars" in _plan(selectors.firm_search(Firm.objects.all(), "物业"))
    assert "companies_firm_name_chars" in _plan(selectors.public_firm_search(q="东方物业"))


@postgresql_only
def test_the_planner_knows_a_fragment_every_name_holds_is_common(db):
    Firm.objects.bulk_create(
        Firm(credit_code=make_credit_code(700_000 + i), name=f"第{i}号物业公司") for i in range(300)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE companies_firm")
    sql, params = Firm.objects.filter(name__fragment="物业").order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        estimated = cursor.fetchone()[0][0]["Plan"]["Plan Rows"]
    # Estimated from the column's statistics: then the list walks its order and stops at the
    # page's rows, instead of reading and sorting every firm for the few it expects.
    assert estimated > 150


# --- pages chosen first ----------------------------------------------------------------------


def test_a_deep_page_of_firms_computes_the_figures_of_its_own_rows_only(
    client_of, bureau_user, community_a
):
    firms = Firm.objects.bulk_create(
        Firm(credit_code=make_credit_code(800_000 + i), name=f"深页物业{i:03d}") for i in range(60)
    )
    CompoundFactory(community=community_a, firm=firms[55], households=120)
    client = client_of(bureau_user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(FIRMS, {"page": 2})
    rows = [row.record for row in response.context["table"].page.object_list]
    assert [firm.name for firm in rows] == [f"深页物业{i:03d}" for i in range(50, 60)]
    assert [firm.households_total for firm in rows if firm.compound_count] == [120]
    page = next(q["sql"] for q in queries if "OFFSET 50" in q["sql"])
    ids = page[page.index(" IN (SELECT") :]  # the page's ids, chosen bare, then its order
    assert "OFFSET 50" in ids and "SUM(" not in ids and "COUNT(" not in ids


def test_a_deep_page_of_firms_sorted_by_a_figure_is_in_that_order(
    client_of, bureau_user, community_a
):
    firms = Firm.objects.bulk_create(
        Firm(credit_code=make_credit_code(810_000 + i), name=f"排序物业{i:03d}") for i in range(55)
    )
    for i, firm in enumerate(firms[:3]):
        CompoundFactory.create_batch(i + 1, community=community_a, firm=firm)
    response = client_of(bureau_user).get(FIRMS, {"sort": "compound_count", "page": 2})
    rows = [row.record for row in response.context["table"].page.object_list]
    assert [firm.compound_count for firm in rows] == [0, 0, 1, 2, 3]


# --- lists that count what they can show -----------------------------------------------------


def test_a_list_counts_up_to_its_cap_and_says_more(
    client_of, bureau_user, community_a, monkeypatch
):
    monkeypatch.setattr(CappedPaginator, "cap", 3)
    for _ in range(5):
        CompoundFactory(community=community_a)
    response = client_of(bureau_user).get(LIST)
    paginator = response.context["table"].paginator
    assert paginator.capped and paginator.count == 3 and paginator.num_pages == 1
    assert len(response.context["table"].page.object_list) == 3
    assert "超过 3" in response.content.decode() or "more than 3" in response.content.decode()


def test_a_page_past_the_cap_is_the_last_counted(client_of, bureau_user, community_a, monkeypatch):
    monkeypatch.setattr(CappedPaginator, "cap", 60)
    for _ in range(120):
        CompoundFactory(community=community_a)
    with CaptureQueriesContext(connection) as queries:
        response = client_of(bureau_user).get(LIST, {"page": 1000})
    assert response.status_code == 200
    table = response.context["table"]
    assert table.page.number == 2 and table.paginator.num_pages == 2  # 50 + 10 of 60 counted
    assert sum("COUNT(" in query["sql"] for query in queries) == 1  # counted once


def test_a_list_under_its_cap_counts_exactly(client_of, bureau_user, compound_a, compound_b):
    response = client_of(bureau_user).get(LIST)
    assert response.context["total"] == 2 and not response.context["capped"]


def test_the_public_lookup_counts_to_its_own_cap(client, db, monkeypatch):
    monkeypatch.setattr(views, "PUBLIC_COUNT_CAP", 3)
    Firm.objects.bulk_create(
        Firm(credit_code=make_credit_code(820_000 + i), name=f"公开物业{i}") for i in range(5)
    )
    paginator = client.get(PUBLIC_SEARCH, {"q": "公开物业"}).context["page_obj"].paginator
    assert paginator.capped and paginator.count == 3


@pytest.mark.parametrize("n", [5, 60])
def test_the_compound_list_costs_the_same_queries_at_any_size(
    client_of, bureau_user, community_a, firm_a, n, django_assert_max_num_queries
):
    CompoundFactory.create_batch(n, community=community_a, firm=firm_a)
    client = client_of(bureau_user)
    client.get(LIST, {"page": 2})  # the session's first read aside
    with django_assert_max_num_queries(8):
        assert client.get(LIST, {"page": 2}).status_code == 200


# --- coverage tables of a city's length ------------------------------------------------------


def test_a_coverage_table_shows_the_first_areas_and_says_so(db, bureau_user, monkeypatch):
    monkeypatch.setattr(coverage, "AREAS_SHOWN", 1)
    CompoundFactory()
    CompoundFactory()  # another street, another district
    board = coverage.coverage_for_user(user=bureau_user)
    for table in board.tables:
        assert table.more and len(table.rows) == 1
    assert board.total.compounds == 2  # the totals count everything
