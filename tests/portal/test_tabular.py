from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile

from portal.tabular import TabularError, cell_text, read_table

CSV_TEXT = "code,name\nXQ001,东苑小区\n\nXQ002,西苑小区\n"


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def xlsx_bytes(rows: list[list]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_csv_encoding_is_detected(encoding):
    table = read_table(upload("a.csv", CSV_TEXT.encode(encoding)))
    assert table.header == ["code", "name"]
    # The empty line 3 is skipped; row numbers stay those of the file.
    assert table.rows == [(2, ["XQ001", "东苑小区"]), (4, ["XQ002", "西苑小区"])]


def test_csv_from_a_path(tmp_path):
    path = tmp_path / "firms.csv"
    path.write_bytes(CSV_TEXT.encode("gb18030"))
    assert read_table(path).rows[0] == (2, ["XQ001", "东苑小区"])


def test_csv_cells_are_stripped():
    table = read_table(upload("a.csv", " code , name \n XQ001 ,\u3000东苑\n".encode()))
    assert table.header == ["code", "name"]
    assert table.rows == [(2, ["XQ001", "东苑"])]


def test_undecodable_csv_is_refused_clearly():
    with pytest.raises(TabularError) as exc:
        read_table(upload("a.csv", b"code,name\n\x80\xff\xfe,x\n"))
    assert exc.value.code == "encoding"


def test_utf16_csv_is_refused_clearly():
    with pytest.raises(TabularError) as exc:
        read_table(upload("a.csv", CSV_TEXT.encode("utf-16")))
    assert exc.value.code == "encoding"


def test_xlsx_first_sheet_numbers_render_as_a_clerk_typed_them():
    content = xlsx_bytes(
        [
            ["code", "households", "floor_area", "flag", "date", "empty"],
            ["XQ001", 300, 12345.67, True, dt.datetime(2024, 3, 1), None],
            [None, None, None, None, None, None],
            ["XQ002", 300.0, 0.1, False, dt.date(2024, 3, 2), "  "],
        ]
    )
    table = read_table(upload("compounds.xlsx", content))
    assert table.header == ["code", "households", "floor_area", "flag", "date", "empty"]
    assert table.rows == [
        (2, ["XQ001", "300", "12345.67", "1", "2024-03-01"]),
        (4, ["XQ002", "300", "0.1", "0", "2024-03-02"]),
    ]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (300, "300"),
        (300.0, "300"),
        (12.34, "12.34"),
        (0.1, "0.1"),
        (1e-7, "0.0000001"),
        (Decimal("25800.50"), "25800.50"),
        (" 东苑 ", "东苑"),
        (dt.datetime(2024, 1, 2, 3, 4), "2024-01-02 03:04:00"),
    ],
)
def test_cell_text(value, text):
    assert cell_text(value) == text


def test_text_named_xlsx_is_not_a_workbook():
    with pytest.raises(TabularError) as exc:
        read_table(upload("a.xlsx", CSV_TEXT.encode()))
    assert exc.value.code == "not_workbook"


def test_a_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(TabularError) as exc:
        read_table(upload("a.xlsx", buffer.getvalue()))
    assert exc.value.code == "not_workbook"


def test_a_broken_workbook_is_refused_without_a_crash():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<not really")
    with pytest.raises(TabularError):
        read_table(upload("a.xlsx", buffer.getvalue()))


def zip_bomb(member_bytes: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        # Written in pieces: the test itself should not hold the expanded data at once.
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            block = b"0" * (1024 * 1024)
            for _ in range(member_bytes // len(block)):
                member.write(block)
    return buffer.getvalue()


def test_zip_bomb_is_refused_by_its_compression_ratio():
    content = zip_bomb(8 * 1024 * 1024)
    assert len(content) < 100_000
    with pytest.raises(TabularError) as exc:
        read_table(upload("bomb.xlsx", content))
    assert exc.value.code == "zip_bomb"


def test_zip_bomb_is_refused_by_its_expanded_size(settings):
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 1024
    content = xlsx_bytes([["code"], ["x" * 5000]])
    with pytest.raises(TabularError) as exc:
        read_table(upload("big.xlsx", content))
    assert exc.value.code == "zip_bomb"


def test_an_80_mb_file_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "huge.csv"
    with path.open("wb") as sparse:  # a sparse file: 80 MB long, no 80 MB written
        sparse.truncate(80 * 1024 * 1024)
    with pytest.raises(TabularError) as exc:
        read_table(path)
    assert exc.value.code == "too_big"
    with path.open("rb") as stream, pytest.raises(TabularError):
        read_table(UploadedFile(stream, name="huge.csv", size=80 * 1024 * 1024))


def test_a_file_over_the_configured_limit_is_refused(settings):
    settings.IMPORT_MAX_BYTES = 10
    with pytest.raises(TabularError) as exc:
        read_table(upload("a.csv", CSV_TEXT.encode()))
    assert exc.value.code == "too_big"


def test_too_many_rows_are_refused(settings):
    settings.IMPORT_MAX_ROWS = 2
    content = b"code\n1\n2\n3\n"
    with pytest.raises(TabularError) as exc:
        read_table(upload("a.csv", content))
    assert exc.value.code == "too_many_rows"
    settings.IMPORT_MAX_ROWS = 3
    assert len(read_table(upload("a.csv", content)).rows) == 3


def test_too_many_rows_in_a_workbook_are_refused(settings):
    settings.IMPORT_MAX_ROWS = 2
    with pytest.raises(TabularError):
        read_table(upload("a.xlsx", xlsx_bytes([["code"], [1], [2], [3]])))


@pytest.mark.parametrize("name", ["a.xls", "a.txt", "a"])
def test_other_file_types_are_refused(name):
    with pytest.raises(TabularError) as exc:
        read_table(upload(name, CSV_TEXT.encode()))
    assert exc.value.code == "file_type"


def test_empty_file_is_refused():
    with pytest.raises(TabularError) as exc:
        read_table(upload("a.csv", b"\n\n"))
    assert exc.value.code == "empty"
