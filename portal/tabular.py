"""Read an uploaded spreadsheet (.xlsx or .csv) into a header and numbered rows of text.

Shared by every import, in the browser and on the command line. Files are refused
before they are parsed when they are too big, have too many rows, are not what their
name says, or are zip bombs. Every cell comes back as stripped text: an empty cell is
"", the number 300 is "300" (not "300.0"), a decimal keeps exactly its digits.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import os
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

EXTENSIONS = ("xlsx", "csv")
# Our imports have about ten columns; reading at most this many bounds the work per row
# whatever the sheet claims about its width.
MAX_COLUMNS = 100
# An .xlsx is a zip of XML. A real workbook compresses its sheets about 5 to 20 times;
# a zip bomb thousands of times. Members this small are never worth checking.
MAX_COMPRESSION_RATIO = 100
RATIO_CHECK_MIN_BYTES = 1024 * 1024
MAX_ZIP_MEMBERS = 1000


class TabularError(Exception):
    """The file cannot be read as a table: `message` says why, for the clerk; `code` is
    stable (file_type, too_big, too_many_rows, encoding, not_workbook, zip_bomb, ...)."""

    def __init__(self, message: str, code: str = "unreadable") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass
class Table:
    """The header cells and the non-empty data rows, each with its row number in the file."""

    header: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    header_row: int = 1


def max_bytes() -> int:
    return settings.IMPORT_MAX_BYTES


def max_rows() -> int:
    return settings.IMPORT_MAX_ROWS


def max_uncompressed_bytes() -> int:
    return settings.IMPORT_MAX_UNCOMPRESSED_BYTES


def extension_of(filename: str) -> str:
    return Path(filename or "").suffix.lower().lstrip(".")


def check_extension(filename: str) -> str:
    ext = extension_of(filename)
    if ext == "xls":
        raise TabularError(
            _("Old .xls workbooks cannot be read. Open the file in Excel and save it as .xlsx."),
            code="file_type",
        )
    if ext not in EXTENSIONS:
        raise TabularError(
            _("Upload an Excel workbook (.xlsx) or a CSV file (.csv)."), code="file_type"
        )
    return ext


def too_big_message(size: int) -> str:
    return _("The file is %(size)s; files larger than %(max)s are refused.") % {
        "size": filesizeformat(size),
        "max": filesizeformat(max_bytes()),
    }


def check_size(size: int) -> None:
    if size > max_bytes():
        raise TabularError(too_big_message(size), code="too_big")


def _size_of(stream: IO[bytes]) -> int:
    size = getattr(stream, "size", None)
    if size is not None:
        return int(size)
    position = stream.tell()
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    stream.seek(position)
    return size


def read_table(source: str | os.PathLike | IO[bytes], *, filename: str | None = None) -> Table:
    """Read the first sheet of an .xlsx, or a .csv, refusing what should not be parsed.

    `source` is a path or a binary file object (an uploaded file); `filename` gives the
    extension when the object has no useful name.
    """
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        ext = check_extension(filename or path.name)
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise TabularError(_("The file cannot be opened.")) from exc
        check_size(size)  # before a single byte is read
        with path.open("rb") as stream:
            return _read_stream(stream, ext)
    ext = check_extension(filename or getattr(source, "name", "") or "")
    check_size(_size_of(source))
    source.seek(0)
    return _read_stream(source, ext)


def _read_stream(stream: IO[bytes], ext: str) -> Table:
    if ext == "csv":
        # The size was checked; reading one byte more guards a size that was misreported.
        data = stream.read(max_bytes() + 1)
        check_size(len(data))
        return _table_from_rows(csv_rows(decode_csv(data)))
    return _table_from_rows(xlsx_rows(stream))


# --- CSV -------------------------------------------------------------------------------


def decode_csv(data: bytes) -> str:
    """UTF-8 with or without BOM, else GB18030 (a superset of GBK, as Excel saves it)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise TabularError(
            _(
                "This CSV file is saved as UTF-16 (Unicode text). Save it as "
                "“CSV UTF-8” or as an Excel workbook (.xlsx)."
            ),
            code="encoding",
        )
    if b"\x00" in data:
        raise TabularError(
            _("This file is not a text CSV file. Upload a .csv saved as text, or an .xlsx."),
            code="encoding",
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise TabularError(
            _(
                "The characters of this CSV file cannot be read: it is neither UTF-8 nor "
                "GBK/GB18030. Save it as “CSV UTF-8” or as an Excel workbook (.xlsx)."
            ),
            code="encoding",
        ) from exc


def csv_rows(text: str):
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        yield from reader
    except csv.Error as exc:
        raise TabularError(
            _("The CSV file is malformed near record %(n)d: %(error)s")
            % {"n": reader.line_num, "error": exc},
            code="malformed",
        ) from exc


# --- XLSX ------------------------------------------------------------------------------


def check_workbook_archive(stream: IO[bytes]) -> None:
    """Refuse what is not a zip, not a workbook, or a zip bomb, before openpyxl opens it."""
    not_a_workbook = _(
        "This file is not an Excel workbook (.xlsx). Open it in Excel and save it as .xlsx."
    )
    stream.seek(0)
    if not zipfile.is_zipfile(stream):
        raise TabularError(not_a_workbook, code="not_workbook")
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise TabularError(not_a_workbook, code="not_workbook") from exc
    names = {info.filename for info in infos}
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise TabularError(not_a_workbook, code="not_workbook")
    bomb = _("This workbook expands to far more data than it holds; it is refused as unsafe.")
    if len(infos) > MAX_ZIP_MEMBERS:
        raise TabularError(bomb, code="zip_bomb")
    total = sum(info.file_size for info in infos)
    if total > max_uncompressed_bytes():
        raise TabularError(bomb, code="zip_bomb")
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_CHECK_MIN_BYTES and ratio > MAX_COMPRESSION_RATIO:
            raise TabularError(bomb, code="zip_bomb")
    stream.seek(0)


def xlsx_rows(stream: IO[bytes]):
    import openpyxl

    check_workbook_archive(stream)
    unreadable = _(
        "This Excel workbook cannot be read. Open it in Excel and save it again as .xlsx."
    )
    try:
        workbook = openpyxl.load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken workbook
        logger.info("unreadable workbook: %r", exc)
        raise TabularError(unreadable) from exc
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            return
        # The stored dimensions may be wrong or hostile: read from row 1, at most MAX_COLUMNS.
        sheet.reset_dimensions()
        rows = sheet.iter_rows(min_row=1, min_col=1, max_col=MAX_COLUMNS, values_only=True)
        while True:
            try:
                row = next(rows)
            except StopIteration:
                break
            except Exception as exc:  # a broken sheet XML fails while it is read
                logger.info("unreadable sheet: %r", exc)
                raise TabularError(unreadable) from exc
            yield [cell_text(value) for value in row]
    finally:
        workbook.close()


def cell_text(value: Any) -> str:
    """A cell as the text a clerk sees: 300 not 300.0, 0.1 not 0.1000000000000000055."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return ""
        if value.is_integer():
            return str(int(value))
        # repr gives the shortest text that reads back as the same float: 12.34, not 12.339999.
        return format(Decimal(repr(value)), "f")
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


# --- Both ------------------------------------------------------------------------------


def _table_from_rows(rows) -> Table:
    """The first non-empty row is the header; later empty rows are skipped."""
    limit = max_rows()
    table: Table | None = None
    for number, raw in enumerate(rows, start=1):
        cells = [cell.strip() if isinstance(cell, str) else cell_text(cell) for cell in raw]
        while cells and cells[-1] == "":
            cells.pop()
        if table is not None and number - table.header_row > limit:
            raise TabularError(
                _("The file has more than %(max)d rows; split it into smaller files.")
                % {"max": limit},
                code="too_many_rows",
            )
        if not cells:
            continue
        if table is None:
            table = Table(header=cells, header_row=number)
        else:
            table.rows.append((number, cells))
    if table is None:
        raise TabularError(_("The file is empty: it has no header row."), code="empty")
    return table
