"""The one writer of every CSV and Excel file the portal hands out.

A cell whose text begins with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula to
Excel, LibreOffice and WPS: a firm named `=HYPERLINK("http://x.example","click")` or
`=cmd|' /C calc'!A0` would run when a clerk opens the export (OWASP, "CSV injection"). So:

- in a CSV such a text gets a leading apostrophe (OWASP's rule): the spreadsheet shows it as
  text, and a reader of the file sees that it was neutralised;
- in an xlsx every text is written as a string cell, never as a formula, and such a text is
  also marked "quote prefix" (Excel's own apostrophe, invisible), so that editing the cell
  does not turn it into a formula either; the text itself stays exactly as stored.

Only text is neutralised: numbers (int, Decimal, float), dates and booleans are written as
what they are, so -3.5 stays the number -3.5. Callers therefore pass numbers as numbers.

The same rows always give the same bytes: a published list's CSV is the same file for as long
as its version exists.

Names that cannot sensibly begin like a formula are refused at entry (`validate_not_formula`);
the writer protects what was stored before that rule, and every other free text.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOM = "\ufeff"
NUMBERS = (int, float, Decimal)
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
EXPORT_CHUNK = 2000  # rows fetched at a time from the database by an export

Row = Sequence[Any]


def starts_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def validate_not_formula(value: str) -> None:
    """Refuse a name that a spreadsheet would read as a formula (see the module's docstring)."""
    if value and starts_like_formula(value):
        raise ValidationError(
            _("A name cannot begin with =, +, -, @, a tab or a line break."),
            code="formula",
        )


# --- CSV -------------------------------------------------------------------------------------


def csv_text(value: Any) -> str:
    """One cell as CSV text: numbers and dates as they are, text neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, NUMBERS):
        return str(value)
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.strftime("%Y-%m-%d %H:%M")  # the portal's time, as every page shows it
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    return "'" + text if starts_like_formula(text) else text


class _Line:
    """What csv.writer writes to: it hands the line back instead of keeping it."""

    def write(self, line: str) -> str:
        return line


def csv_lines(rows: Iterable[Row], *, lineterminator: str = "\r\n") -> Iterator[str]:
    """Each row (the column names first) as one line of CSV."""
    writer = csv.writer(_Line(), lineterminator=lineterminator)
    for row in rows:
        yield writer.writerow([csv_text(value) for value in row])


def csv_response(rows: Iterable[Row], *, filename: str) -> StreamingHttpResponse:
    """A CSV download, UTF-8 with a BOM (Excel on a Chinese Windows reads it as UTF-8 only
    then), written row by row as the rows come."""

    def body() -> Iterator[bytes]:
        yield BOM.encode()
        for line in csv_lines(rows):
            yield line.encode()

    response = StreamingHttpResponse(body(), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- xlsx ------------------------------------------------------------------------------------


def _xlsx_cell(sheet, value: Any):
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if value is None or isinstance(value, (bool, *NUMBERS)):
        return WriteOnlyCell(sheet, value=value)
    if isinstance(value, dt.datetime):
        # Excel has no time zones: the portal's local time, as every page shows it.
        value = (
            timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
        )
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATETIME_FORMAT
        return cell
    if isinstance(value, dt.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    # Control characters make an xlsx unreadable (openpyxl refuses them): they carry nothing.
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"  # openpyxl would take a text beginning with "=" for a formula
    if starts_like_formula(text):
        cell.quotePrefix = True
    return cell


def _write_workbook(rows: Iterable[Row], *, sheet_title: str, target: IO[bytes]) -> None:
    """A one-sheet workbook of the rows (the column names first), written as it goes:
    openpyxl's write-only mode keeps the sheet in a temporary file and writes every text as
    an inline string, so memory stays flat in the number of rows."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    # Excel refuses sheet names longer than 31 characters or holding any of []:*?/\ .
    title = "".join(c for c in sheet_title if c not in "[]:*?/\\")[:31] or "Sheet1"
    sheet = workbook.create_sheet(title)
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    workbook.save(target)


def xlsx_bytes(rows: Iterable[Row], *, sheet_title: str) -> bytes:
    """The workbook of `_write_workbook` as bytes (small exports and tests)."""
    buffer = io.BytesIO()
    _write_workbook(rows, sheet_title=sheet_title, target=buffer)
    return buffer.getvalue()


def xlsx_response(rows: Iterable[Row], *, filename: str, sheet_title: str) -> FileResponse:
    """An Excel download. An xlsx is a zip whose directory comes last, so it is written
    whole first, to a temporary file (deleted when the response closes), then streamed in
    blocks: memory flat in the number of rows."""
    target = tempfile.TemporaryFile()  # noqa: SIM115 (the response closes it)
    try:
        _write_workbook(rows, sheet_title=sheet_title, target=target)
    except BaseException:
        target.close()
        raise
    target.seek(0)
    response = FileResponse(target, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- tables (django-tables2) -----------------------------------------------------------------


def table_rows(table, *, chunk_size: int = EXPORT_CHUNK) -> Iterator[list[Any]]:
    """A table's export as `Table.as_values()` gives it (the headers, then each row's
    values), but reading a queryset `chunk_size` rows at a time (`QuerySet.iterator()`)
    instead of caching it whole: memory flat in the rows, the queries those of the
    queryset. The table must be configured (sorted) already."""
    from django.db.models import QuerySet
    from django.utils.encoding import force_str
    from django_tables2.rows import BoundRow

    columns = [
        column for column in table.columns.iterall() if not column.column.exclude_from_export
    ]
    yield [force_str(column.header, strings_only=True) for column in columns]
    data = table.data.data
    records = data.iterator(chunk_size=chunk_size) if isinstance(data, QuerySet) else data
    for record in records:
        row = BoundRow(record, table=table)
        yield [force_str(row.get_cell_value(column.name), strings_only=True) for column in columns]
