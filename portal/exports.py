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
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOM = "\ufeff"
NUMBERS = (int, float, Decimal)
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"

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


def xlsx_bytes(rows: Iterable[Row], *, sheet_title: str) -> bytes:
    """A one-sheet workbook of the rows (the column names first), written as it goes."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    # Excel refuses sheet names longer than 31 characters or holding any of []:*?/\ .
    title = "".join(c for c in sheet_title if c not in "[]:*?/\\")[:31] or "Sheet1"
    sheet = workbook.create_sheet(title)
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(rows: Iterable[Row], *, filename: str, sheet_title: str) -> HttpResponse:
    """An Excel download. An xlsx is a zip whose directory comes last: it is sent whole."""
    response = HttpResponse(
        xlsx_bytes(rows, sheet_title=sheet_title), content_type=XLSX_CONTENT_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
