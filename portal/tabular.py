"""Read an uploaded spreadsheet (.xlsx or .csv) into a header and numbered rows of text.

Shared by every import, in the browser and on the command line. Files are refused
before they are parsed when they are too big, are not what their name says, would expand
to more than a worker can hold (every part of a workbook is checked), or are written in
an encoding other than UTF-8 or GB18030; and while they are read, past the row limit.
Every cell comes back as stripped text: an empty cell is "", the number 300 is "300"
(not "300.0"), a decimal keeps exactly its digits.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import logging
import os
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any
from xml.etree import ElementTree

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
CSV_CHUNK = 1024 * 1024
# In read-only mode openpyxl streams the worksheets row by row but holds every other part
# in memory whole, the shared strings above all: those are held to IMPORT_MAX_PART_BYTES.
WORKSHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"


class TabularError(Exception):
    """The file cannot be read as a table: `message` says why, for the clerk; `code` is
    stable (file_type, too_big, too_many_rows, encoding, not_workbook, zip_bomb, ...)."""

    def __init__(self, message: str, code: str = "unreadable") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass
class Table:
    """The header cells and the non-empty data rows, each with its row number in the file:
    a list from read_table, an iterator read as it goes inside open_table."""

    header: list[str]
    rows: Iterable[tuple[int, list[str]]] = field(default_factory=list)
    header_row: int = 1
    # The data rows the file announces (a CSV's lines, a sheet's dimension), for progress
    # bars only: blank rows and line breaks inside cells make it differ from the rows read.
    expected_rows: int | None = None


def max_bytes() -> int:
    return settings.IMPORT_MAX_BYTES


def max_rows() -> int:
    return settings.IMPORT_MAX_ROWS


def max_uncompressed_bytes() -> int:
    return settings.IMPORT_MAX_UNCOMPRESSED_BYTES


def max_part_bytes() -> int:
    return settings.IMPORT_MAX_PART_BYTES


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
    """Read the first sheet of an .xlsx, or a .csv, whole, refusing what should not be parsed.

    `source` is a path or a binary file object (an uploaded file); `filename` gives the
    extension when the object has no useful name.
    """
    with open_table(source, filename=filename) as table:
        rows = list(table.rows)
        return Table(
            header=table.header, rows=rows, header_row=table.header_row, expected_rows=len(rows)
        )


@contextmanager
def open_table(
    source: str | os.PathLike | IO[bytes], *, filename: str | None = None
) -> Iterator[Table]:
    """As read_table, but the rows are read as the caller iterates them inside the `with`:
    an import keeps only the columns it knows and reads no row after a header it refuses."""
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        ext = check_extension(filename or path.name)
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise TabularError(_("The file cannot be opened.")) from exc
        check_size(size)  # before a single byte is read
        with path.open("rb") as stream, _stream_table(stream, ext) as table:
            yield table
        return
    ext = check_extension(filename or getattr(source, "name", "") or "")
    check_size(_size_of(source))
    source.seek(0)
    with _stream_table(source, ext) as table:
        yield table


@contextmanager
def _stream_table(stream: IO[bytes], ext: str) -> Iterator[Table]:
    if ext == "csv":
        # A first pass checks the size, the encoding and counts the lines, a chunk at a
        # time; the second reads the records as the caller asks: memory flat in the size.
        encoding, lines = sniff_csv(stream)
        raw = csv_rows_of(stream, encoding)
    else:
        raw = xlsx_rows(stream)
        lines = next(raw)  # the rows the sheet declares, or None
    rows = numbered_rows(raw)
    try:  # closing the generators closes the workbook, whether or not every row was read
        try:
            header_row, header = next(rows)
        except StopIteration:
            raise TabularError(
                _("The file is empty: it has no header row."), code="empty"
            ) from None
        expected = max(0, lines - header_row) if lines else None
        yield Table(header=header, rows=rows, header_row=header_row, expected_rows=expected)
    finally:
        rows.close()
        raw.close()


# --- CSV -------------------------------------------------------------------------------


# Shift-JIS and Big5 files decode as GB18030 without an error, into characters nearly all
# outside GB2312 (the 7,445 characters of everyday simplified Chinese); a real GBK file has
# few of those (the rare characters of some names). Beyond this share of its non-ASCII
# characters, and this floor, a file is not Chinese.
MAX_RARE_SHARE = 0.2
RARE_FLOOR = 2


def _encoding_refused() -> TabularError:
    return TabularError(
        _(
            "The characters of this CSV file cannot be read: it is saved in an encoding other "
            "than UTF-8, UTF-8 with BOM or GB18030 (GBK). Save it as “CSV UTF-8” or as an "
            "Excel workbook (.xlsx)."
        ),
        code="encoding",
    )


def _chinese_counts(text: str) -> tuple[int, int]:
    """(characters outside ASCII, characters outside GB2312) of a text."""
    wide = len(text) - len(text.encode("ascii", "ignore"))
    rare = len(text) - len(text.encode("gb2312", "ignore").decode("gb2312"))
    return wide, rare


def _reads_as_chinese(wide: int, rare: int) -> bool:
    return rare <= max(RARE_FLOOR, MAX_RARE_SHARE * wide)


def reads_as_chinese(text: str) -> bool:
    return _reads_as_chinese(*_chinese_counts(text))


def _check_csv_start(data: bytes) -> None:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise TabularError(
            _(
                "This CSV file is saved as UTF-16 (Unicode text). Save it as "
                "“CSV UTF-8” or as an Excel workbook (.xlsx)."
            ),
            code="encoding",
        )


def _not_text() -> TabularError:
    return TabularError(
        _("This file is not a text CSV file. Upload a .csv saved as text, or an .xlsx."),
        code="encoding",
    )


def decode_csv(data: bytes) -> str:
    """UTF-8 with or without BOM, else GB18030 (a superset of GBK, as Excel saves it) when
    the text reads as Chinese; anything else is refused rather than read as mojibake."""
    _check_csv_start(data)
    if b"\x00" in data:
        raise _not_text()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise _encoding_refused() from exc
    if not reads_as_chinese(text):
        raise _encoding_refused()
    return text


def _chunks_of(stream: IO[bytes]) -> Iterator[bytes]:
    """The stream from its start, CSV_CHUNK bytes at a time, refusing it past the size
    limit (the size was checked before; this guards a size that was misreported)."""
    stream.seek(0)
    read = 0
    while chunk := stream.read(CSV_CHUNK):
        read += len(chunk)
        check_size(read)
        yield chunk


def sniff_csv(stream: IO[bytes]) -> tuple[str, int]:
    """The encoding of a CSV file as `decode_csv` decides it, and its number of lines, read
    a chunk at a time. UTF-8 is tried first; GB18030 only if that fails somewhere."""
    lines = 0
    last = b""
    utf8 = codecs.getincrementaldecoder("utf-8")()
    is_utf8 = True
    for number, chunk in enumerate(_chunks_of(stream)):
        if number == 0:
            _check_csv_start(chunk)
        if b"\x00" in chunk:
            raise _not_text()
        lines += max(chunk.count(b"\n"), chunk.count(b"\r"))
        last = chunk[-1:]
        if is_utf8:
            try:
                utf8.decode(chunk)
            except UnicodeDecodeError:
                is_utf8 = False
    if last and last not in b"\r\n":
        lines += 1
    if is_utf8:
        try:
            utf8.decode(b"", final=True)
            return "utf-8-sig", lines
        except UnicodeDecodeError:
            pass
    gb = codecs.getincrementaldecoder("gb18030")()
    wide = rare = 0
    try:
        for chunk in _chunks_of(stream):
            counts = _chinese_counts(gb.decode(chunk))
            wide, rare = wide + counts[0], rare + counts[1]
        gb.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        raise _encoding_refused() from exc
    if not _reads_as_chinese(wide, rare):
        raise _encoding_refused()
    return "gb18030", lines


class _Unclosed(io.RawIOBase):
    """The caller's stream, read by a TextIOWrapper that must not close it."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self._stream.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def csv_rows_of(stream: IO[bytes], encoding: str):
    """The records of a CSV stream whose encoding `sniff_csv` found, read as they go."""
    stream.seek(0)
    text = io.TextIOWrapper(io.BufferedReader(_Unclosed(stream)), encoding=encoding, newline="")
    yield from csv_rows(text)


def csv_rows(text: str | IO[str]):
    source = io.StringIO(text, newline="") if isinstance(text, str) else text
    reader = csv.reader(source)
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
            names = {info.filename for info in infos}
            if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
                raise TabularError(not_a_workbook, code="not_workbook")
            streamed = _worksheets(archive)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise TabularError(not_a_workbook, code="not_workbook") from exc
    # The sizes a zip declares bound what it expands to: zipfile (and so openpyxl) stops
    # reading a member at its declared size.
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
        if info.filename not in streamed and info.file_size > max_part_bytes():
            raise TabularError(
                _(
                    "One part of this workbook expands to %(size)s, more than the %(max)s the "
                    "portal reads. Save it as a CSV file (CSV UTF-8) or split it into smaller "
                    "files."
                )
                % {"size": filesizeformat(info.file_size), "max": filesizeformat(max_part_bytes())},
                code="zip_bomb",
            )
    stream.seek(0)


def _worksheets(archive: zipfile.ZipFile) -> set[str]:
    """The parts [Content_Types].xml declares worksheets: the ones openpyxl streams."""
    types = archive.getinfo("[Content_Types].xml")
    if types.file_size > max_part_bytes():
        return set()  # refused with the other parts held whole
    try:
        # Expat (2.4.1 and later) refuses entity expansion bombs; the size was checked.
        root = ElementTree.fromstring(archive.read(types))  # noqa: S314
    except Exception:  # a broken part: openpyxl refuses the workbook as unreadable
        return set()
    return {
        element.get("PartName", "").lstrip("/")
        for element in root
        if element.tag.endswith("}Override") and element.get("ContentType") == WORKSHEET_TYPE
    }


def xlsx_rows(stream: IO[bytes]):
    """The rows of the first sheet, after one first item: the number of rows the sheet
    declares (None if it does not say), which only a progress bar may trust."""
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
            yield None
            return
        try:  # the row count the sheet declares, for progress only
            yield int(sheet.max_row) if sheet.max_row else None
        except Exception:
            yield None
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


def numbered_rows(raw: Iterable[list]) -> Iterator[tuple[int, list[str]]]:
    """The non-empty rows as text, each with its row number in the file; the first one is
    the header. Past IMPORT_MAX_ROWS rows after the header, the file is refused."""
    limit = max_rows()
    header_row: int | None = None
    for number, cells in enumerate(raw, start=1):
        cells = [cell.strip() if isinstance(cell, str) else cell_text(cell) for cell in cells]
        while cells and cells[-1] == "":
            cells.pop()
        if header_row is not None and number - header_row > limit:
            raise TabularError(
                _("The file has more than %(max)d rows; split it into smaller files.")
                % {"max": limit},
                code="too_many_rows",
            )
        if not cells:
            continue
        if header_row is None:
            header_row = number
        yield number, cells
