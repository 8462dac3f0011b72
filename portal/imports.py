"""The all-or-nothing spreadsheet import engine, shared by every app and by the command line.

An app describes one kind of import with an `Importer` subclass: its columns (English
code and Chinese header), its key, a Django form that validates one row, bulk lookups
of what exists, and how to create or update a record through the app's services. The
engine does the rest the same way for every kind:

1. read the file (portal.tabular) and map its header to the columns;
2. validate every row with the form, collect every error with its row number and
   column, refuse a key repeated inside the file;
3. look up the existing records in bulk and plan each row: create, update (with each
   changed column before → after) or unchanged;
4. if nothing is wrong, apply the plan in one transaction through the services, so
   the history records who changed what. Any error rolls everything back.

`import_view` is the browser flow: the upload is read and checked once into a stored
plan (an `ImportJob`), the preview shows it and the confirmation applies it, neither
reading the file again. A large file is read, and a large plan applied, by a Celery task
(portal.tasks) while the page shows its progress. `ImportCommand` is the base of the
`manage.py import_*` commands, which plan and apply in one go.
"""

from __future__ import annotations

import datetime as dt
import inspect
import itertools
import json
import logging
import re
import sqlite3
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, ClassVar

from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, connection, models, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import tabular
from .models import ImportJob

logger = logging.getLogger(__name__)

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"
ACTIONS = (CREATE, UPDATE, UNCHANGED)
# The preview lists at most this many created/updated rows, and at most ERROR_LIMIT errors
# (with the count of the others); the command line prints every error.
PREVIEW_LIMIT = 500
ERROR_LIMIT = 1000
LOOKUP_CHUNK = 500  # below SQLite's limit of parameters in one query
PROGRESS_EVERY = 500  # rows between two reports of progress
UNPACK_CHUNK = 64 * 1024
# Rows read, checked, looked up and written together: the queries of an import grow with
# the rows / BATCH_ROWS, its memory with BATCH_ROWS only.
BATCH_ROWS = 2000
ROWS_KEPT = 10_000  # planned rows an ImportResult keeps for its caller; the counts are exact
ERRORS_KEPT = 10 * ERROR_LIMIT  # errors kept, beyond the ERROR_LIMIT a job stores; all counted

Progress = Callable[[int, int], None]  # (rows done, rows in all)


@dataclass(frozen=True)
class Column:
    """One column of an import file: its English code and the Chinese header also accepted."""

    code: str
    label: str
    required: bool = True  # the header must have it; an optional column may be left out
    aliases: tuple[str, ...] = ()

    @property
    def display(self) -> str:
        return f"{self.label} ({self.code})"


@dataclass
class RowError:
    """Why one row (or the whole file, row None) is refused."""

    row: int | None
    message: str
    column: str = ""
    label: str = ""
    code: str = ""  # stable, for programs and tests: a form error code, "duplicate_key", ...

    def __str__(self) -> str:
        column = f"{self.label} ({self.column})" if self.column else ""
        if self.row is None:
            return f"{column}: {self.message}" if column else self.message
        if column:
            return _("Row %(row)d, column %(column)s: %(message)s") % {
                "row": self.row,
                "column": column,
                "message": self.message,
            }
        return _("Row %(row)d: %(message)s") % {"row": self.row, "message": self.message}


@dataclass
class FieldChange:
    column: str
    label: str
    before: str
    after: str


@dataclass
class RowPlan:
    """What the import does with one row."""

    row: int
    key: tuple
    action: str
    values: dict[str, Any]
    description: str = ""
    instance: Any = None
    changes: list[FieldChange] = field(default_factory=list)


@dataclass
class ImportResult:
    """The plan of an import, its errors, and whether it was applied.

    `rows` holds the first ROWS_KEPT planned rows (a dry run shows them); the counts are
    those of every row, and `packed` is the plan of every row to create or update. At most
    ERRORS_KEPT errors are kept, `error_count` counts them all.
    """

    rows: list[RowPlan] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    applied: bool = False
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ACTIONS, 0))
    packed: bytes = b""
    errors_dropped: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def error_count(self) -> int:
        return len(self.errors) + self.errors_dropped

    def add_errors(self, errors: list[RowError]) -> None:
        room = max(0, ERRORS_KEPT - len(self.errors))
        self.errors.extend(errors[:room])
        self.errors_dropped += len(errors[room:])

    def _count(self, action: str) -> int:
        if any(self.counts.values()):
            return self.counts[action]
        return sum(1 for plan in self.rows if plan.action == action)

    @property
    def created(self) -> int:
        return self._count(CREATE)

    @property
    def updated(self) -> int:
        return self._count(UPDATE)

    @property
    def unchanged(self) -> int:
        return self._count(UNCHANGED)

    def summary(self) -> str:
        return summary(self.created, self.updated, self.unchanged)


def summary(created: int, updated: int, unchanged: int) -> str:
    return _("%(created)d created, %(updated)d updated, %(unchanged)d unchanged.") % {
        "created": created,
        "updated": updated,
        "unchanged": unchanged,
    }


def bulk_by(queryset: models.QuerySet, field_name: str, values: Iterable) -> dict:
    """{value: object} for the objects whose `field_name` is among `values`, in a few queries."""
    wanted = sorted({value for value in values if value not in ("", None)})
    found = {}
    for start in range(0, len(wanted), LOOKUP_CHUNK):
        chunk = wanted[start : start + LOOKUP_CHUNK]
        for obj in queryset.filter(**{f"{field_name}__in": chunk}):
            found[getattr(obj, field_name)] = obj
    return found


def display_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


class YesNoField(forms.Field):
    """1/0, true/false, 是/否, yes/no (any case); empty is no."""

    TRUE = {"1", "true", "yes", "y", "是", "有", "√"}
    FALSE = {"0", "false", "no", "n", "否", "无", ""}
    default_error_messages = {
        "invalid": gettext_lazy("Enter 1 or 0 (是 or 否, yes or no, true or false)."),
    }

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> bool:
        text = str(value or "").strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValidationError(self.error_messages["invalid"], code="invalid")

    def validate(self, value: bool) -> None:
        pass  # False is a valid answer, not a missing one


class Importer:
    """One kind of import. Subclasses set the class attributes and the hooks below.

    Values are dicts keyed by column code, as the row form cleans them; an optional
    column left out of the file is left out of the values and so never changed.
    """

    name: ClassVar[str]  # short and stable: the session key and the command name use it
    verbose_name: ClassVar[str]
    columns: ClassVar[tuple[Column, ...]]
    key: ClassVar[tuple[str, ...]]
    form_class: ClassVar[type[forms.Form]]
    # Model field → column, to place the errors a service raises on apply.
    field_columns: ClassVar[dict[str, str]] = {}
    # True when `create` and `update` only collect what `flush` writes in bulk (or call
    # services that are atomic themselves): the engine then spares a savepoint per row.
    defers_writes: ClassVar[bool] = False
    # True when the row form keeps no state of its own between two rows: the engine then
    # binds one form per batch to each row in turn, sparing the copy of its fields per row
    # (a fifth of the time of a large import).
    reuse_form: ClassVar[bool] = False

    def __init__(self, *, user=None) -> None:
        self.user = user

    # --- hooks --------------------------------------------------------------------

    def prepare(self, records: list[dict[str, str]]) -> None:
        """Load in bulk what the row forms need (referenced records), before validation.
        Called once per batch of rows (BATCH_ROWS), when checking and again when applying."""

    def form_kwargs(self) -> dict[str, Any]:
        return {}

    def existing(self, keys: list[tuple]) -> dict[tuple, Any]:
        """{key: record} for the keys that exist; in bulk, never a query per key."""
        raise NotImplementedError

    def current_values(self, instance: Any, codes: Iterable[str]) -> dict[str, Any]:
        """The record's values, comparable with the cleaned values of a row."""
        return {code: getattr(instance, code) for code in codes}

    def create(self, values: dict[str, Any]) -> None:
        raise NotImplementedError

    def flush(self) -> None:
        """Write what `create`/`update` deferred, through a bulk service: thousands of rows
        in seconds. Its errors name no row; the forms validated every row before, so
        they are rare."""

    def update(self, instance: Any, values: dict[str, Any], changed: set[str]) -> None:
        raise NotImplementedError

    def describe(self, values: dict[str, Any]) -> str:
        text = " / ".join(display_value(values[code]) for code in self.key)
        if values.get("name"):
            text += f" {values['name']}"
        return text

    # --- helpers ------------------------------------------------------------------

    def column(self, code: str) -> Column:
        return next(column for column in self.columns if column.code == code)

    def error(self, row: int | None, column: str, message: str, code: str = "") -> RowError:
        if column:
            found = self.column(column)
            return RowError(row, message, column=found.code, label=found.label, code=code)
        return RowError(row, message, code=code)


# --- planning and applying -----------------------------------------------------------------


def _header_index(importer: Importer) -> dict[str, str]:
    index = {}
    for column in importer.columns:
        for name in (column.code, column.label, *column.aliases):
            index[name.strip().casefold()] = column.code
    return index


def map_header(
    importer: Importer, table: tabular.Table
) -> tuple[list[tuple[int, str]], list[RowError]]:
    """[(cell position, column code)] for the header, or the errors that refuse it."""
    index = _header_index(importer)
    mapping: list[tuple[int, str]] = []
    errors: list[RowError] = []
    seen: set[str] = set()
    expected = ", ".join(column.display for column in importer.columns)
    for position, name in enumerate(table.header):
        if not name:
            continue  # a column without a name is not ours (Excel leaves such columns)
        code = index.get(name.casefold())
        if code is None:
            errors.append(
                RowError(
                    row=table.header_row,
                    message=_("Unknown column “%(name)s”. The columns are: %(expected)s.")
                    % {"name": name, "expected": expected},
                    code="unknown_column",
                )
            )
        elif code in seen:
            errors.append(
                importer.error(
                    table.header_row,
                    code,
                    _("This column appears more than once."),
                    code="duplicate_column",
                )
            )
        else:
            seen.add(code)
            mapping.append((position, code))
    for column in importer.columns:
        if column.required and column.code not in seen:
            errors.append(
                RowError(
                    row=table.header_row,
                    message=_("The column “%(code)s” (%(label)s) is missing.")
                    % {"code": column.code, "label": column.label},
                    code="missing_column",
                )
            )
    return mapping, errors


def _errors_of(
    importer: Importer, row: int | None, name: str, errors: list[ValidationError]
) -> list[RowError]:
    """RowErrors for the ValidationErrors of one form or model field (or none: __all__)."""
    column = importer.field_columns.get(name, name)
    column = column if column in {c.code for c in importer.columns} else ""
    return [
        importer.error(row, column, message, code=error.code or "")
        for error in errors
        for message in error.messages
    ]


def _form_errors(importer: Importer, row: int, form: forms.Form) -> list[RowError]:
    return [
        error
        for name, errors in form.errors.as_data().items()
        for error in _errors_of(importer, row, name, errors)
    ]


def _validation_errors(importer: Importer, row: int | None, exc: ValidationError) -> list[RowError]:
    if not hasattr(exc, "error_dict"):
        return _errors_of(importer, row, "", exc.error_list)
    return [
        error
        for name, errors in exc.error_dict.items()
        for error in _errors_of(importer, row, name, errors)
    ]


def _batched(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


class KeyIndex:
    """The keys met so far in a file, each with the row it was first met on, kept on disk in
    a temporary SQLite file (deleted when closed): a file of 600,000 rows costs no memory
    for them, and a batch's keys are checked with a few indexed queries."""

    def __init__(self) -> None:
        # "" is a private temporary database on disk; its page cache stays small.
        self._db = sqlite3.connect("")
        self._db.execute("CREATE TABLE seen (key TEXT PRIMARY KEY, row INTEGER) WITHOUT ROWID")

    def __enter__(self) -> KeyIndex:
        return self

    def __exit__(self, *exc_info) -> None:
        self._db.close()

    def add(self, first_rows: dict[str, int]) -> dict[str, int]:
        """Record the keys of a batch (with their first row in it); return {key: row} for
        those met in an earlier batch, which are not recorded again."""
        keys = list(first_rows)
        earlier: dict[str, int] = {}
        for start in range(0, len(keys), LOOKUP_CHUNK):
            chunk = keys[start : start + LOOKUP_CHUNK]
            marks = ", ".join("?" * len(chunk))
            earlier.update(
                self._db.execute(f"SELECT key, row FROM seen WHERE key IN ({marks})", chunk)  # noqa: S608
            )
        self._db.executemany(
            "INSERT INTO seen VALUES (?, ?)",
            [(key, row) for key, row in first_rows.items() if key not in earlier],
        )
        return earlier


def _key_text(key: tuple) -> str:
    return "\x1f".join(display_value(value) for value in key)


@dataclass
class _Planning:
    """What plan_import carries from one batch of rows to the next."""

    importer: Importer
    present: list[str]
    result: ImportResult
    seen: KeyIndex
    progress: Progress | None
    expected: int | None
    keep_rows: int = ROWS_KEPT
    checked: int = 0
    packer: Any = field(default_factory=zlib.compressobj)
    packed: list[bytes] = field(default_factory=list)

    def report(self) -> None:
        if self.progress and self.checked % PROGRESS_EVERY == 0:
            self.progress(self.checked, max(self.expected or 0, self.checked))

    def check(self, batch: list[tuple[int, dict[str, str]]]) -> None:
        """Validate a batch of rows, refuse keys met before, and plan its rows if the file
        has no error so far."""
        importer, result = self.importer, self.result
        importer.prepare([record for _number, record in batch])
        form_kwargs = importer.form_kwargs()
        checked: list[tuple[int, list[RowError], tuple | None, dict[str, Any] | None]] = []
        form = None
        for number, record in batch:
            self.checked += 1
            self.report()
            if form is not None and importer.reuse_form:
                form.data, form._errors = record, None  # bound again: is_valid cleans anew
            else:
                form = importer.form_class(data=record, **form_kwargs)
            row_ok = form.is_valid()
            cleaned = form.cleaned_data
            key = None
            if all(code in cleaned for code in importer.key):
                key = tuple(cleaned[code] for code in importer.key)
            values = {code: cleaned[code] for code in self.present} if row_ok else None
            errors = [] if row_ok else _form_errors(importer, number, form)
            checked.append((number, errors, key, values))

        first_in_batch: dict[str, int] = {}
        for number, _errors, key, _values in checked:
            if key is not None:
                first_in_batch.setdefault(_key_text(key), number)
        earlier = self.seen.add(first_in_batch)
        valid: list[tuple[int, tuple, dict[str, Any]]] = []
        for number, errors, key, values in checked:
            result.add_errors(errors)
            if key is None:
                continue
            text = _key_text(key)
            first = earlier.get(text)
            if first is None and first_in_batch[text] != number:
                first = first_in_batch[text]
            if first is not None:
                result.add_errors(
                    [
                        importer.error(
                            number,
                            importer.key[0],
                            _(
                                "The same key as row %(row)d: a record may appear only once "
                                "in a file."
                            )
                            % {"row": first},
                            code="duplicate_key",
                        )
                    ]
                )
            elif values is not None:
                valid.append((number, key, values))
        if result.errors:
            return  # the file is refused: its other rows are only checked
        self.plan(valid)

    def plan(self, valid: list[tuple[int, tuple, dict[str, Any]]]) -> None:
        importer, result = self.importer, self.result
        found = importer.existing([key for _number, key, _values in valid]) if valid else {}
        for number, key, values in valid:
            instance = found.get(key)
            plan = RowPlan(
                row=number,
                key=key,
                action=CREATE,
                values=values,
                description=importer.describe(values),
                instance=instance,
            )
            if instance is not None:
                current = importer.current_values(instance, values.keys())
                plan.changes = [
                    FieldChange(
                        column=code,
                        label=importer.column(code).label,
                        before=display_value(current[code]),
                        after=display_value(value),
                    )
                    for code, value in values.items()
                    if current[code] != value
                ]
                plan.action = UPDATE if plan.changes else UNCHANGED
            result.counts[plan.action] += 1
            if len(result.rows) < self.keep_rows:
                result.rows.append(plan)
            if plan.action != UNCHANGED:
                line = json.dumps(_stored(plan), ensure_ascii=False).encode() + b"\n"
                if chunk := self.packer.compress(line):
                    self.packed.append(chunk)

    def finish(self) -> None:
        self.packed.append(self.packer.flush())
        self.result.packed = b"".join(self.packed)
        self.packed = []


def plan_import(
    importer: Importer,
    source: str | Path | IO[bytes],
    *,
    filename: str | None = None,
    progress: Progress | None = None,
    keep_rows: int = ROWS_KEPT,
) -> ImportResult:
    """Read and validate the file and plan every row; write nothing.

    The rows are read, checked, looked up and planned BATCH_ROWS at a time: what is kept is
    the packed plan (about 30 bytes a row), the first `keep_rows` rows, the errors and the
    keys (on disk), so memory stays flat in the size of the file.
    """
    result = ImportResult()
    try:
        with tabular.open_table(source, filename=filename) as table, KeyIndex() as seen:
            mapping, result.errors = map_header(importer, table)
            if result.errors:
                return result  # the rows are not even read
            planning = _Planning(
                importer=importer,
                present=[code for _position, code in mapping],
                result=result,
                seen=seen,
                progress=progress,
                expected=table.expected_rows,
                keep_rows=keep_rows,
            )
            # Only the import's columns are kept, however wide the file.
            records = (
                (number, {code: (cells[pos] if pos < len(cells) else "") for pos, code in mapping})
                for number, cells in table.rows
            )
            for batch in _batched(records, BATCH_ROWS):
                planning.check(batch)
            planning.finish()
    except tabular.TabularError as exc:
        return ImportResult(errors=[RowError(row=None, message=exc.message, code=exc.code)])
    if not planning.checked:
        result.errors.append(
            RowError(row=None, message=_("The file has a header but no rows."), code="no_rows")
        )
    if result.errors:
        result.rows, result.packed = [], b""
        result.counts = dict.fromkeys(result.counts, 0)
    return result


def _conflict_message() -> str:
    return _("This conflicts with a record saved by someone else at the same moment. Try again.")


def _apply_rows(
    importer: Importer,
    rows: list[RowPlan],
    errors: list[RowError],
    count: Callable[[], None],
) -> None:
    """Create and update the rows through the importer. Each row runs in its own savepoint
    (unless the importer only collects rows for `flush`, whose services are atomic), so
    that one refused row does not hide the next one's reasons."""
    for plan in rows:
        try:
            with transaction.atomic() if not importer.defers_writes else nullcontext():
                if plan.action == CREATE:
                    importer.create(plan.values)
                else:
                    changed = {change.column for change in plan.changes}
                    importer.update(plan.instance, plan.values, changed)
        except ValidationError as exc:
            errors.extend(_validation_errors(importer, plan.row, exc))
        except IntegrityError:
            errors.append(importer.error(plan.row, "", _conflict_message(), code="conflict"))
        count()


def _taken_message() -> str:
    return _(
        "A record with this key was saved by someone else after the file was checked. "
        "Upload the file again."
    )


def _taken(importer: Importer, rows: list[RowPlan]) -> list[RowError]:
    """Errors for the rows to create whose key exists now: one bulk lookup."""
    creates = [row for row in rows if row.action == CREATE]
    found = importer.existing([row.key for row in creates]) if creates else {}
    return [
        importer.error(row.row, importer.key[0], _taken_message(), code="conflict")
        for row in creates
        if row.key in found
    ]


def _flush(importer: Importer, rows: list[RowPlan], errors: list[RowError]) -> None:
    try:
        with transaction.atomic():
            importer.flush()
    except ValidationError as exc:
        errors.extend(_validation_errors(importer, None, exc))
    except IntegrityError:
        # A key saved by another transaction since the batch was looked up: name its row.
        errors.extend(
            _taken(importer, rows)
            or [importer.error(None, "", _conflict_message(), code="conflict")]
        )


def apply_plan(
    importer: Importer, result: ImportResult, *, progress: Progress | None = None
) -> None:
    """Create and update the planned rows (`result.rows`, with their instances) through the
    services inside the caller's transaction; the caller rolls back if any row was refused.
    A file's plan is applied from its packed form by `apply_packed`."""
    rows = [plan for plan in result.rows if plan.action != UNCHANGED]
    done = 0

    def count() -> None:
        nonlocal done
        done += 1
        if progress and (done % PROGRESS_EVERY == 0 or done == len(rows)):
            progress(done, len(rows))

    for batch in _batched(rows, BATCH_ROWS):
        _apply_rows(importer, batch, result.errors, count)
        if result.errors:
            return
        _flush(importer, batch, result.errors)


def apply_packed(
    importer: Importer, packed: bytes, *, total: int, progress: Progress | None = None
) -> list[RowError]:
    """Write a packed plan inside the caller's transaction, BATCH_ROWS rows at a time: the
    lookups of a batch, the records it updates as they are now, its rows through the
    importer, then its bulk writes. Returns the errors: the caller rolls back if any.
    After an error nothing more is written, but every row is still checked."""
    errors: list[RowError] = []
    done = 0

    def count() -> None:
        nonlocal done
        done += 1
        if progress and (done % PROGRESS_EVERY == 0 or done == total):
            progress(done, total)

    for batch in _batched(_unpack(packed), BATCH_ROWS):
        rows = [_row_plan(importer, stored) for stored in batch]
        importer.prepare([{c: display_value(v) for c, v in row.values.items()} for row in rows])
        # The records as they are now, looked up in bulk: those the rows update, and any
        # saved meanwhile under the key of a row to create.
        found = importer.existing([row.key for row in rows])
        for row in rows:
            row.instance = found.get(row.key)
            if row.action == UPDATE and row.instance is None:
                message = _("This record was deleted after the preview. Upload the file again.")
                errors.append(importer.error(row.row, "", message, code="deleted"))
            elif row.action == CREATE and row.instance is not None:
                errors.append(
                    importer.error(row.row, importer.key[0], _taken_message(), code="conflict")
                )
        if errors:
            continue
        _apply_rows(importer, rows, errors, count)
        if not errors:
            _flush(importer, rows, errors)
    return errors


def run_import(
    importer: Importer,
    source: str | Path | IO[bytes],
    *,
    filename: str | None = None,
    apply: bool = True,
) -> ImportResult:
    """Plan the file and, if every row is good (and `apply`), write it all in one transaction."""
    with transaction.atomic():
        result = plan_import(importer, source, filename=filename)
        if result.ok and apply:
            result.errors = apply_packed(
                importer, result.packed, total=result.created + result.updated
            )
            if result.errors:
                transaction.set_rollback(True)
            else:
                result.applied = True
    return result


# --- stored plans: import jobs -----------------------------------------------------------------


def importer_kind(importer: Importer) -> tuple[str, dict[str, Any]]:
    """The importer's class (dotted path) and its keyword arguments other than the user, a
    record as its id: what a task needs to build it again. Each argument is read back from
    the attribute of its name (HouseholdImporter keeps `compound`)."""
    cls = type(importer)
    params: dict[str, Any] = {}
    for name, parameter in inspect.signature(cls.__init__).parameters.items():
        if name in ("self", "user") or parameter.kind is not parameter.KEYWORD_ONLY:
            continue
        value = getattr(importer, name)
        if isinstance(value, models.Model):
            value = {"model": value._meta.label, "pk": value.pk}
        params[name] = value
    return f"{cls.__module__}.{cls.__qualname__}", params


def importer_from_job(job: ImportJob) -> Importer:
    cls = import_string(job.kind)
    if not (isinstance(cls, type) and issubclass(cls, Importer)):
        raise TypeError(f"{job.kind} is not an importer")
    kwargs = {}
    for name, value in job.params.items():
        if isinstance(value, dict) and value.keys() == {"model", "pk"}:
            value = apps.get_model(value["model"])._default_manager.get(pk=value["pk"])
        kwargs[name] = value
    return cls(user=job.user, **kwargs)


# Cleaned values as JSON and back: the types the row forms give.
def _encode(value: Any) -> Any:
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    if isinstance(value, dt.datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"date": value.isoformat()}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"An import cannot store a {type(value).__name__}")


DECODERS = {
    "decimal": Decimal,
    "datetime": dt.datetime.fromisoformat,
    "date": dt.date.fromisoformat,
}


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        [(kind, text)] = value.items()
        return DECODERS[kind](text)
    return value


def _stored(plan: RowPlan) -> list:
    values = {code: _encode(value) for code, value in plan.values.items()}
    changes = [[change.column, change.before, change.after] for change in plan.changes]
    return [plan.row, plan.action, values, changes, plan.description]


def _row_plan(importer: Importer, stored: list) -> RowPlan:
    row, action, values, changes, description = stored
    values = {code: _decode(value) for code, value in values.items()}
    return RowPlan(
        row=row,
        key=tuple(values[code] for code in importer.key),
        action=action,
        values=values,
        description=description,
        changes=[
            FieldChange(column=code, label=importer.column(code).label, before=b, after=a)
            for code, b, a in changes
        ],
    )


def _unpack(packed: bytes) -> Iterator[list]:
    """The stored rows one by one, unpacking no more than the caller reads. JSON escapes a
    new line inside a string: each line is one row."""
    unpacker = zlib.decompressobj()
    pending = b""
    for start in range(0, len(packed), UNPACK_CHUNK):
        pending += unpacker.decompress(packed[start : start + UNPACK_CHUNK])
        *lines, pending = pending.split(b"\n")
        for line in lines:
            yield json.loads(line)


def _stored_errors(errors: list[RowError], count: int | None = None) -> dict[str, Any]:
    return {
        "errors": [asdict(error) for error in errors[:ERROR_LIMIT]],
        "error_count": len(errors) if count is None else count,
    }


def _unexpected() -> RowError:
    return RowError(
        row=None,
        message=_("The import stopped on an unexpected error; nothing was written. Try again."),
        code="unexpected",
    )


@contextmanager
def job_progress(job_id: int) -> Iterator[Progress]:
    """Report a job's progress where the page sees it while the import's own transaction
    is still open: through a second connection that commits each report at once."""
    if connection.vendor == "sqlite":
        # SQLite lets one connection write at a time, and the import's transaction holds
        # that lock; without a broker the task runs inside the request anyway, unwatched.
        yield lambda done, total: None
        return
    side = connection.copy()
    quote = side.ops.quote_name
    sql = (
        f"UPDATE {quote(ImportJob._meta.db_table)} SET {quote('done')} = %s, "  # noqa: S608
        f"{quote('total')} = %s WHERE {quote('id')} = %s"
    )

    def report(done: int, total: int) -> None:
        with side.cursor() as cursor:
            cursor.execute(sql, [done, total, job_id])

    try:
        yield report
    finally:
        side.close()


def _upload_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def _stored_file(job: ImportJob) -> Path:
    return _upload_dir() / f"{job.token}.{job.ext}"


def _sweep_stale() -> None:
    """Jobs never confirmed nor cancelled go after a day, with any file left behind."""
    ImportJob.objects.filter(
        created_at__lt=timezone.now() - dt.timedelta(seconds=STALE_AFTER_SECONDS)
    ).delete()
    limit = time.time() - STALE_AFTER_SECONDS
    for path in _upload_dir().glob("*.*"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except OSError:
            pass


def _enqueue(task_name: str, job_id: int) -> None:
    """Queue a job's task once the job is committed. A broker that is down fails the job,
    which says so, rather than the request."""

    def send() -> None:
        from . import tasks

        try:
            getattr(tasks, task_name).delay(job_id)
        except Exception:
            logger.exception("Queueing %s of import job %s failed", task_name, job_id)
            error = RowError(
                row=None,
                message=_(
                    "The import could not be started: the task queue does not answer. "
                    "Nothing was written; try again later."
                ),
                code="queue",
            )
            ImportJob.objects.filter(pk=job_id, status__in=ImportJob.RUNNING).exclude(
                status=ImportJob.Status.IMPORTING
            ).update(status=ImportJob.Status.FAILED, **_stored_errors([error]))

    transaction.on_commit(send)


def import_job_start(*, importer: Importer, upload) -> ImportJob:
    """Store the upload under a random name and have it read: here if it is small, else by
    a worker once the job is committed."""
    _sweep_stale()
    kind, params = importer_kind(importer)
    job = ImportJob.objects.create(
        kind=kind,
        params=params,
        user=importer.user,
        name=Path(upload.name).name[:200],
        ext=tabular.extension_of(upload.name),
    )
    _upload_dir().mkdir(parents=True, exist_ok=True)
    with _stored_file(job).open("xb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    if upload.size <= settings.IMPORT_INLINE_MAX_BYTES:
        import_job_plan(job_id=job.pk)
    else:
        _enqueue("import_plan", job.pk)
    return ImportJob.objects.defer("plan").get(pk=job.pk)


def import_job_plan(*, job_id: int) -> None:
    """Read and check a job's file, the only time it is read, store the plan and delete the
    file. Safe to run twice: only a job still being read is planned."""
    job = ImportJob.objects.select_related("user").filter(pk=job_id).first()
    if job is None or job.status != ImportJob.Status.READING:
        return
    path = _stored_file(job)
    try:
        importer = importer_from_job(job)
        with job_progress(job_id) as progress:
            result = plan_import(importer, path, progress=progress, keep_rows=0)
    except Exception:
        logger.exception("Reading import job %s failed", job_id)
        result = ImportResult(errors=[_unexpected()])
    ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.READING).update(
        status=ImportJob.Status.READY if result.ok else ImportJob.Status.REJECTED,
        plan=result.packed,
        to_create=result.created,
        to_update=result.updated,
        unchanged=result.unchanged,
        done=0,
        total=result.created + result.updated,
        **_stored_errors(result.errors, result.error_count),
    )
    path.unlink(missing_ok=True)


def import_job_confirm(*, job: ImportJob) -> ImportJob:
    """Apply a ready job: here if it writes few rows, else by a worker once committed. Only
    a ready job moves on, and once: a second click finds it queued."""
    if ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.READY).update(
        status=ImportJob.Status.QUEUED
    ):
        if job.total <= settings.IMPORT_INLINE_MAX_ROWS:
            import_job_apply(job_id=job.pk)
        else:
            _enqueue("import_apply", job.pk)
    job.refresh_from_db()
    return job


def import_job_apply(*, job_id: int) -> None:
    """Write a queued job's plan in one transaction, all or nothing, reporting progress.
    Safe to run twice: only the run that moves the job from queued to importing applies it."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.IMPORTING, done=0
    )
    if not claimed:
        return
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    try:
        importer = importer_from_job(job)
        # The reporter's connection closes inside the transaction: whatever fails, fails
        # before the commit, so the job never says failed of what was written.
        with transaction.atomic(), job_progress(job_id) as progress:
            result = ImportResult(
                errors=apply_packed(importer, job.plan, total=job.total, progress=progress)
            )
            if result.errors:
                transaction.set_rollback(True)
    except Exception:
        logger.exception("Applying import job %s failed", job_id)
        result = ImportResult(errors=[_unexpected()])
    ImportJob.objects.filter(pk=job_id).update(
        status=ImportJob.Status.DONE if result.ok else ImportJob.Status.FAILED,
        done=job.total if result.ok else 0,
        **_stored_errors(result.errors),
    )


def import_job_discard(*, job: ImportJob) -> None:
    """Forget a job and its file, unless a worker is writing it: that one ends on its own."""
    ImportJob.objects.filter(pk=job.pk).exclude(status=ImportJob.Status.IMPORTING).delete()
    _stored_file(job).unlink(missing_ok=True)


@dataclass
class Preview:
    """What the preview page shows of a job: its counts, its first rows, its first errors."""

    created: int
    updated: int
    unchanged: int
    errors: list[RowError]
    error_count: int
    preview_rows: list[RowPlan]
    preview_hidden: int

    @property
    def ok(self) -> bool:
        return not self.error_count

    @property
    def errors_hidden(self) -> int:
        return self.error_count - len(self.errors)


def job_preview(job: ImportJob, importer: Importer) -> Preview:
    packed = job.plan if job.status == ImportJob.Status.READY else b""
    rows = list(itertools.islice(_unpack(packed), PREVIEW_LIMIT))
    return Preview(
        created=job.to_create,
        updated=job.to_update,
        unchanged=job.unchanged,
        errors=[RowError(**error) for error in job.errors],
        error_count=job.error_count,
        preview_rows=[_row_plan(importer, stored) for stored in rows],
        preview_hidden=max(0, job.to_create + job.to_update - len(rows)),
    )


# --- the browser flow: upload → preview → confirm --------------------------------------------

TOKEN_RE = re.compile(r"^[0-9a-f]{32}$")
STALE_AFTER_SECONDS = 24 * 3600


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("An Excel workbook (.xlsx, first sheet) or a CSV file (.csv)."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            tabular.check_extension(upload.name)
            tabular.check_size(upload.size)  # the size Django counted; nothing read yet
        except tabular.TabularError as exc:
            raise ValidationError(exc.message) from exc
        return upload


def _pending_job(request: HttpRequest, importer: Importer, session_key: str) -> ImportJob | None:
    """The job whose token this session keeps for this import, if it is the user's own."""
    pending = request.session.get(session_key)
    token = str(pending.get("token", "")) if isinstance(pending, dict) else ""
    if not TOKEN_RE.match(token) or not request.user.is_authenticated:
        return None
    kind, params = importer_kind(importer)
    job = ImportJob.objects.defer("plan").filter(token=token, user=request.user, kind=kind).first()
    return job if job is not None and job.params == params else None


def import_view(
    request: HttpRequest,
    importer: Importer,
    *,
    template_name: str,
    extra_context: dict | None = None,
) -> HttpResponse:
    """Upload (POST) → preview (GET ?step=preview) → confirm or cancel (POST), on one URL;
    ?step=progress is the progress bar alone, which the preview polls while a worker reads
    or applies the file.

    The caller checks who may import. The upload is kept under MEDIA_ROOT/imports under a
    random token that only the session knows until it is read, once, into the job's plan.
    """
    session_key = f"import:{importer.name}"
    job = _pending_job(request, importer, session_key)
    context = {"importer": importer, **(extra_context or {})}

    def preview() -> HttpResponse:
        if job.status == ImportJob.Status.DONE:
            request.session.pop(session_key, None)
            import_job_discard(job=job)
            messages.success(
                request,
                _("%(file)s imported: %(summary)s")
                % {
                    "file": job.name,
                    "summary": summary(job.to_create, job.to_update, job.unchanged),
                },
            )
            return redirect(request.path)
        result = None if job.is_running else job_preview(job, importer)
        context.update(stage="preview", job=job, pending=job, result=result)
        return render(request, template_name, context)

    if request.method == "POST":
        action = request.POST.get("action", "upload")
        if action == "cancel":
            request.session.pop(session_key, None)
            if job is not None:
                import_job_discard(job=job)
            return redirect(request.path)
        if action == "confirm":
            if job is None or request.POST.get("token") != job.token:
                messages.warning(
                    request, _("This preview is out of date. Upload the file again, please.")
                )
                return redirect(request.path)
            job = import_job_confirm(job=job)
            if job.is_running:
                return redirect(f"{request.path}?step=preview")
            if job.status != ImportJob.Status.DONE:
                messages.error(request, _("Nothing was imported: the file has errors."))
            return preview()
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            request.session.pop(session_key, None)
            if job is not None:
                import_job_discard(job=job)
            job = import_job_start(importer=importer, upload=form.cleaned_data["file"])
            request.session[session_key] = {"token": job.token}
            return redirect(f"{request.path}?step=preview")
        context.update(stage="upload", form=form, pending=None)
        return render(request, template_name, context)

    step = request.GET.get("step")
    if step == "progress":
        response = render(request, "includes/_import_progress.html", {"job": job})
        if job is None or not job.is_running:
            response["HX-Refresh"] = "true"  # the page shows the preview, errors or the end
        return response
    if step == "preview":
        if job is None:
            messages.warning(request, _("No file is waiting to be imported. Upload one, please."))
            return redirect(request.path)
        return preview()

    context.update(stage="upload", form=ImportUploadForm(), pending=job)
    return render(request, template_name, context)


# --- the command line ------------------------------------------------------------------------


class ImportCommand(BaseCommand):
    """`manage.py import_<kind> PATH`: the same engine as the browser."""

    importer_class: ClassVar[type[Importer]]

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", help="an .xlsx or .csv file")
        parser.add_argument(
            "--user", help="user name recorded in the history as the one who imported"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="validate and show the plan, write nothing"
        )

    def handle(self, *args, path: str, user: str | None, dry_run: bool, **options) -> None:
        from django.contrib.auth import get_user_model

        actor = None
        if user:
            actor = get_user_model().objects.filter(username=user).first()
            if actor is None:
                raise CommandError(f"No user named {user!r}.")
        if not Path(path).is_file():
            raise CommandError(f"No file at {path}.")
        importer = self.importer_class(user=actor)
        result = run_import(importer, path, apply=not dry_run)
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(
                _("%(path)s was rejected (%(n)d errors); nothing was written.")
                % {"path": path, "n": result.error_count}
            )
        if dry_run:
            self.stdout.write(_("Dry run, nothing written: ") + result.summary())
        else:
            self.stdout.write(result.summary())
