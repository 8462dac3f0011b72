"""No formula reaches a spreadsheet: every CSV and xlsx the portal writes goes through
portal.exports, which neutralises text that a spreadsheet would run (OWASP's rule) and keeps
numbers numbers. The exports themselves are tested with the names the probe stored."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from companies.models import Firm
from credit import publication as publishing
from portal import exports
from tests.credit.publishing import YEAR, end_period, open_publicity, rated_run

HYPERLINK = '=HYPERLINK("http://x.example","click")'
DDE = "=cmd|' /C calc'!A0"
DANGEROUS = [HYPERLINK, DDE, "+1+2", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"]


def _csv_rows(data: bytes | str) -> list[list[str]]:
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    return list(csv.reader(io.StringIO(text)))


def _sheet(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data)).active


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


# --- the writer ------------------------------------------------------------------------------


@pytest.mark.parametrize("text", DANGEROUS)
def test_a_csv_cell_that_begins_like_a_formula_is_written_as_text(text):
    [line] = exports.csv_lines([[text]])
    assert _csv_rows(line) == [["'" + text]]


def test_a_csv_keeps_numbers_dates_and_ordinary_text_as_they_are():
    row = [-3.5, Decimal("-12.50"), 7, True, None, dt.date(2024, 1, 2), "东方物业", "a-b"]
    [line] = exports.csv_lines([row])
    assert line == "-3.5,-12.50,7,1,,2024-01-02,东方物业,a-b\r\n"


def test_a_csv_writes_times_in_the_portals_time_zone():
    moment = dt.datetime(2024, 1, 2, 1, 30, tzinfo=dt.UTC)
    [line] = exports.csv_lines([[moment, dt.datetime(2024, 1, 2, 9, 30)]])
    assert line == "2024-01-02 09:30,2024-01-02 09:30\r\n"  # Beijing time


def test_the_same_rows_always_give_the_same_csv():
    rows = [["name", "score"], [HYPERLINK, Decimal("92.00")]]
    assert list(exports.csv_lines(rows)) == list(exports.csv_lines(rows))


@pytest.mark.parametrize("text", DANGEROUS)
def test_an_xlsx_cell_is_a_string_never_a_formula(text):
    cell = _sheet(exports.xlsx_bytes([[text]], sheet_title="x"))["A1"]
    assert cell.data_type == "s"
    assert cell.quotePrefix  # Excel's own apostrophe: editing the cell keeps it text
    # The text is kept as stored (XML reads a carriage return back as a line feed).
    assert cell.value.replace("\n", "\r") == text


def test_an_xlsx_keeps_numbers_and_dates_typed_and_plain_text_unmarked():
    row = [-3.5, Decimal("-12.50"), 7, dt.date(2024, 1, 2), None, "东方物业", "2023"]
    sheet = _sheet(exports.xlsx_bytes([row], sheet_title="x"))
    values = [cell.value for cell in sheet[1]]
    assert values[:3] == [-3.5, -12.5, 7]
    assert values[3] == dt.datetime(2024, 1, 2)
    assert values[4:] == [None, "东方物业", "2023"]
    assert sheet["G1"].data_type == "s" and not sheet["F1"].quotePrefix


def test_an_xlsx_drops_control_characters_instead_of_failing():
    sheet = _sheet(exports.xlsx_bytes([["东\x07方"]], sheet_title="a/b:c"))
    assert sheet["A1"].value == "东方"
    assert sheet.title == "abc"


# --- every export of the portal --------------------------------------------------------------


@pytest.fixture
def formula_firm(compound_a):
    """Firm A under a name stored before names were checked (so: not through a service)."""
    Firm.objects.filter(pk=compound_a.firm_id).update(name=HYPERLINK)
    compound_a.firm.refresh_from_db()
    return compound_a.firm


@pytest.fixture
def run(formula_firm, compound_a, compound_b, django_capture_on_commit_callbacks):
    return rated_run(compound_a, compound_b, django_capture_on_commit_callbacks)


@pytest.fixture
def published(bureau_user, run):
    cache.clear()
    publication = end_period(open_publicity(bureau_user, run))
    yield publishing.publication_publish(user=bureau_user, publication=publication)
    cache.clear()


def test_the_public_csv_neutralises_a_formula_name_and_keeps_its_digest(client, published):
    url = reverse("credit:redblack_csv", args=[YEAR])
    first, second = _body(client.get(url)), _body(client.get(url))
    rows = _csv_rows(first)
    assert rows[1][:4] == [
        "red",
        "1",
        published.run.ratings.get(rank=1).firm.credit_code,
        "'" + HYPERLINK,
    ]
    assert first == second  # the same file for as long as the version exists
    # The frozen content keeps the name as it was stored, and so its digest.
    json_body = client.get(reverse("credit:redblack_json", args=[YEAR])).content
    assert hashlib.sha256(json_body).hexdigest() == published.digest
    assert HYPERLINK.replace('"', '\\"') in json_body.decode()


def test_the_registry_exports_write_a_formula_name_as_text(client_of, bureau_user, formula_firm):
    client = client_of(bureau_user)
    for name in ("companies:firm_list", "companies:compound_list"):
        sheet = _sheet(client.get(reverse(name), {"_export": "xlsx"}).getvalue())
        cells = [cell for row in sheet.iter_rows() for cell in row if cell.value == HYPERLINK]
        assert cells, name
        assert all(cell.data_type == "s" for cell in cells), name


def test_the_run_export_writes_a_formula_name_as_text(client_of, bureau_user, run):
    response = client_of(bureau_user).get(reverse("credit:run_export_xlsx", args=[run.pk]))
    sheet = _sheet(response.getvalue())
    rows = list(sheet.iter_rows())
    header = [cell.value for cell in rows[0]]
    first = {name: cell for name, cell in zip(header, rows[1], strict=True)}
    assert first["name"].value == HYPERLINK and first["name"].data_type == "s"
    assert first["score"].value == "92.00"  # the columns of interchange.md, as in the CSV


def test_the_ratings_command_neutralises_a_formula_name(run, tmp_path):
    target = tmp_path / "ratings.csv"
    call_command("export_ratings", "--year", str(YEAR), "--out", str(target))
    rows = _csv_rows(target.read_text(encoding="utf-8"))
    assert rows[1][2] == "'" + HYPERLINK
    assert rows[1][3] == "92.00"
