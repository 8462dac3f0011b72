"""The registry's imports and exports at country scale: files read and checked a batch at a
time, queries that do not grow with the rows, exports streamed, all or nothing kept."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from companies.imports import CompoundImporter, FirmImporter
from companies.models import Compound, Firm, Management
from portal import imports
from portal.imports import run_import
from portal.models import Community, District, Street

from ..credit.publishing import rated_run
from ..factories import make_credit_code

pytestmark = pytest.mark.django_db

COMPOUND_HEADER = [
    "code",
    "name",
    "district",
    "street",
    "community",
    "households",
    "floor_area",
    "firm_credit_code",
    "owners_committee",
    "party_org",
]


def _csv(rows: list[list[str]]) -> io.BytesIO:
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    data = io.BytesIO(text.getvalue().encode())
    data.name = "file.csv"
    return data


def firm_file(n: int, start: int = 1, *, last: list[str] | None = None) -> io.BytesIO:
    rows = [["credit_code", "name", "legal_representative"]]
    rows += [[make_credit_code(start + i), f"规模物业{start + i}", "张三"] for i in range(n)]
    if last is not None:
        rows.append(last)
    return _csv(rows)


def compound_file(n: int, *, firms: int) -> io.BytesIO:
    rows = [COMPOUND_HEADER]
    rows += [
        [
            f"S{i:06d}",
            f"规模小区{i}",
            f"规模区{i % 3}",
            f"规模街道{i % 7}",
            f"规模社区{i}",  # a new community on every row: areas are created in bulk
            str(100 + i),
            "1234.50",
            make_credit_code(1 + i % firms),
            "是",
            "0",
        ]
        for i in range(n)
    ]
    return _csv(rows)


def queries_of(action) -> int:
    """The queries of `action`. SQLite takes at most 999 parameters a query, so there a bulk
    INSERT of 100 rows is split in two or three: INSERTs are left out of its count."""
    with CaptureQueriesContext(connection) as context:
        action()
    sqls = [query["sql"] for query in context.captured_queries]
    if connection.vendor == "sqlite":
        sqls = [sql for sql in sqls if not sql.startswith("INSERT")]
    return len(sqls)


def test_the_queries_of_a_firm_import_do_not_grow_with_its_rows(bureau_user):
    few = queries_of(lambda: run_import(FirmImporter(user=bureau_user), firm_file(10)))
    many = queries_of(
        lambda: run_import(FirmImporter(user=bureau_user), firm_file(100, start=1000))
    )
    assert few == many
    assert Firm.objects.count() == 110
    firm = Firm.objects.get(credit_code=make_credit_code(1050))
    assert firm.history.get().history_user == bureau_user  # the history bulk writes keep


def test_the_queries_of_a_compound_import_do_not_grow_with_its_rows(bureau_user):
    run_import(FirmImporter(user=bureau_user), firm_file(10))

    def compounds(n: int) -> None:
        result = run_import(CompoundImporter(user=bureau_user), compound_file(n, firms=10))
        assert result.applied, result.errors

    few = queries_of(lambda: compounds(10))
    Management.objects.all().delete()
    Compound.history.all().delete()
    Compound.objects.all().delete()
    for model in (Community, Street, District):  # the second file creates its areas too
        model.objects.all().delete()
    many = queries_of(lambda: compounds(100))
    assert few == many
    assert Compound.objects.count() == 100 and Management.objects.count() == 100
    assert Compound.objects.get(code="S000042").history.get().history_user == bureau_user


def test_a_re_import_of_the_same_file_changes_nothing_with_the_same_queries(bureau_user):
    run_import(FirmImporter(user=bureau_user), firm_file(100))
    result = run_import(FirmImporter(user=bureau_user), firm_file(100))
    assert (result.created, result.updated, result.unchanged) == (0, 0, 100)
    assert Firm.history.count() == 100


def test_a_bad_last_row_of_a_file_of_several_batches_writes_nothing(bureau_user, monkeypatch):
    monkeypatch.setattr(imports, "BATCH_ROWS", 200)
    content = firm_file(1000, last=["BAD-CODE", "坏行物业", ""])
    with translation.override("zh-hans"):
        result = run_import(FirmImporter(user=bureau_user), content)
        messages = [str(error) for error in result.errors]
    assert not result.applied and Firm.objects.count() == 0
    assert [(error.row, error.column) for error in result.errors] == [(1002, "credit_code")]
    assert "1002" in messages[0] and "统一社会信用代码" in messages[0]
    assert "行" in messages[0]  # the clerk's language, naming the row


def test_a_key_repeated_in_a_later_batch_names_its_first_row(bureau_user, monkeypatch):
    monkeypatch.setattr(imports, "BATCH_ROWS", 100)
    content = firm_file(500, last=[make_credit_code(3), "重复物业", ""])
    result = run_import(FirmImporter(user=bureau_user), content)
    assert not result.applied and Firm.objects.count() == 0
    [error] = result.errors
    assert (error.row, error.code) == (502, "duplicate_key")
    assert "4" in error.message  # row 4 of the file holds make_credit_code(3) first


def test_an_update_in_a_later_batch_is_planned_and_applied(bureau_user, monkeypatch):
    monkeypatch.setattr(imports, "BATCH_ROWS", 100)
    run_import(FirmImporter(user=bureau_user), firm_file(300))
    rows = [["credit_code", "name"]] + [
        [make_credit_code(i), f"规模物业{i}" if i != 250 else "改名物业"] for i in range(1, 301)
    ]
    result = run_import(FirmImporter(user=bureau_user), _csv(rows))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 299)
    assert Firm.objects.get(credit_code=make_credit_code(250)).name == "改名物业"
    assert Firm.objects.get(credit_code=make_credit_code(250)).history.count() == 2


# --- exports ---------------------------------------------------------------------------------


def _registry(n: int, bureau_user) -> None:
    run_import(FirmImporter(user=bureau_user), firm_file(n))
    result = run_import(CompoundImporter(user=bureau_user), compound_file(n, firms=n))
    assert result.applied, result.errors


def _export(client, name: str) -> tuple[StreamingHttpResponse, list[tuple]]:
    response = client.get(reverse(name), {"_export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue()), read_only=True).active
    return response, list(sheet.iter_rows(values_only=True))


@pytest.mark.parametrize("name", ["companies:firm_list", "companies:compound_list"])
def test_registry_exports_stream_with_queries_that_do_not_grow_with_the_rows(
    client_of, bureau_user, name
):
    client = client_of(bureau_user)
    _registry(10, bureau_user)
    _export(client, name)  # the session's first request stores what later ones read
    with CaptureQueriesContext(connection) as few:
        response, rows = _export(client, name)
    assert isinstance(response, StreamingHttpResponse) and len(rows) == 11
    Management.objects.all().delete()
    Compound.objects.all().delete()
    Firm.objects.all().delete()
    _registry(100, bureau_user)
    with CaptureQueriesContext(connection) as many:
        response, rows = _export(client, name)
    assert isinstance(response, StreamingHttpResponse) and len(rows) == 101
    assert len(few.captured_queries) == len(many.captured_queries)


def test_the_compound_export_keeps_numbers_as_numbers(client_of, bureau_user):
    _registry(3, bureau_user)
    _response, rows = _export(client_of(bureau_user), "companies:compound_list")
    column = rows[0].index("建筑面积（平方米）")
    assert [Decimal(str(row[column])) for row in rows[1:]] == [Decimal("1234.5")] * 3


def test_the_ratings_export_of_a_run_streams(
    client_of, bureau_user, compound_a, compound_b, django_capture_on_commit_callbacks
):
    run = rated_run(compound_a, compound_b, django_capture_on_commit_callbacks)
    response = client_of(bureau_user).get(reverse("credit:run_export_xlsx", args=[run.pk]))
    assert response.status_code == 200 and isinstance(response, StreamingHttpResponse)
    sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).active
    assert next(sheet.iter_rows(values_only=True))[:2] == ("year", "credit_code")
