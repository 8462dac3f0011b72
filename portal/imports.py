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

`import_view` is the browser flow (upload → preview → confirm) and `ImportCommand` the
base of the `manage.py import_*` commands.
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, ClassVar

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, models, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import tabular

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"
# The preview lists at most this many created/updated rows; errors are always all listed.
PREVIEW_LIMIT = 500
LOOKUP_CHUNK = 500  # below SQLite's limit of parameters in one query


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
    """The plan of an import, its errors, and whether it was applied."""

    rows: list[RowPlan] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def _count(self, action: str) -> int:
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

    @property
    def changed_rows(self) -> list[RowPlan]:
        return [plan for plan in self.rows if plan.action != UNCHANGED]

    @property
    def preview_rows(self) -> list[RowPlan]:
        return self.changed_rows[:PREVIEW_LIMIT]

    @property
    def preview_hidden(self) -> int:
        return max(0, len(self.changed_rows) - PREVIEW_LIMIT)

    def summary(self) -> str:
        return _("%(created)d created, %(updated)d updated, %(unchanged)d unchanged.") % {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
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

    def __init__(self, *, user=None) -> None:
        self.user = user

    # --- hooks --------------------------------------------------------------------

    def prepare(self, records: list[dict[str, str]]) -> None:
        """Load in bulk what the row forms need (referenced records), before validation."""

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


def plan_import(
    importer: Importer, source: str | Path | IO[bytes], *, filename: str | None = None
) -> ImportResult:
    """Read and validate the file and plan every row; write nothing."""
    result = ImportResult()
    try:
        table = tabular.read_table(source, filename=filename)
    except tabular.TabularError as exc:
        result.errors.append(RowError(row=None, message=exc.message, code=exc.code))
        return result
    mapping, result.errors = map_header(importer, table)
    if result.errors:
        return result
    if not table.rows:
        result.errors.append(
            RowError(row=None, message=_("The file has a header but no rows."), code="no_rows")
        )
        return result

    present = [code for _position, code in mapping]
    records = []
    for number, cells in table.rows:
        record = {code: (cells[pos] if pos < len(cells) else "") for pos, code in mapping}
        records.append((number, record))
    importer.prepare([record for _number, record in records])

    form_kwargs = importer.form_kwargs()
    valid: list[tuple[int, tuple, dict[str, Any]]] = []
    first_row_of: dict[tuple, int] = {}
    for number, record in records:
        form = importer.form_class(data=record, **form_kwargs)
        row_ok = form.is_valid()
        if not row_ok:
            result.errors.extend(_form_errors(importer, number, form))
        cleaned = form.cleaned_data
        if all(code in cleaned for code in importer.key):
            key = tuple(cleaned[code] for code in importer.key)
            if key in first_row_of:
                result.errors.append(
                    importer.error(
                        number,
                        importer.key[0],
                        _("The same key as row %(row)d: a record may appear only once in a file.")
                        % {"row": first_row_of[key]},
                        code="duplicate_key",
                    )
                )
                row_ok = False
            else:
                first_row_of[key] = number
            if row_ok:
                valid.append((number, key, {code: cleaned[code] for code in present}))
    if result.errors:
        return result

    found = importer.existing([key for _number, key, _values in valid])
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
        result.rows.append(plan)
    return result


def _conflict_message() -> str:
    return _("This conflicts with a record saved by someone else at the same moment. Try again.")


def apply_plan(importer: Importer, result: ImportResult) -> None:
    """Create and update through the services inside the caller's transaction.

    Each row runs in its own savepoint so that one refused row does not hide the next
    one's reasons; the caller rolls back everything if any row was refused.
    """
    for plan in result.rows:
        if plan.action == UNCHANGED:
            continue
        try:
            with transaction.atomic():
                if plan.action == CREATE:
                    importer.create(plan.values)
                else:
                    changed = {change.column for change in plan.changes}
                    importer.update(plan.instance, plan.values, changed)
        except ValidationError as exc:
            result.errors.extend(_validation_errors(importer, plan.row, exc))
        except IntegrityError:
            result.errors.append(importer.error(plan.row, "", _conflict_message(), code="conflict"))
    if result.errors:
        return
    try:
        with transaction.atomic():
            importer.flush()
    except ValidationError as exc:
        result.errors.extend(_validation_errors(importer, None, exc))
    except IntegrityError:
        result.errors.append(importer.error(None, "", _conflict_message(), code="conflict"))


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
            apply_plan(importer, result)
            if result.errors:
                transaction.set_rollback(True)
            else:
                result.applied = True
    return result


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


def _upload_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def _sweep_stale(directory: Path) -> None:
    """Uploads previewed but never confirmed or cancelled are deleted after a day."""
    limit = time.time() - STALE_AFTER_SECONDS
    for path in directory.glob("*.*"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except OSError:
            pass


def store_upload(upload) -> dict[str, str]:
    """Save the upload under a random name; what the session keeps to find it again."""
    directory = _upload_dir()
    directory.mkdir(parents=True, exist_ok=True)
    _sweep_stale(directory)
    ext = tabular.extension_of(upload.name)
    token = secrets.token_hex(16)
    with (directory / f"{token}.{ext}").open("xb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return {"token": token, "ext": ext, "name": Path(upload.name).name[:200]}


def stored_path(pending: dict | None) -> Path | None:
    """The stored file of a pending import, rebuilt from the session's token only."""
    if not isinstance(pending, dict):
        return None
    token, ext = str(pending.get("token", "")), str(pending.get("ext", ""))
    if not TOKEN_RE.match(token) or ext not in tabular.EXTENSIONS:
        return None
    path = _upload_dir() / f"{token}.{ext}"
    return path if path.is_file() else None


def discard_upload(request: HttpRequest, session_key: str) -> None:
    path = stored_path(request.session.pop(session_key, None))
    if path is not None:
        path.unlink(missing_ok=True)


def import_view(
    request: HttpRequest,
    importer: Importer,
    *,
    template_name: str,
    extra_context: dict | None = None,
) -> HttpResponse:
    """Upload (POST) → preview (GET ?step=preview) → confirm or cancel (POST), on one URL.

    The caller checks who may import. The file is kept under MEDIA_ROOT/imports under a
    random token that only the session knows; confirming reads it again, validates it
    again and applies it.
    """
    session_key = f"import:{importer.name}"
    pending = request.session.get(session_key)
    context = {"importer": importer, **(extra_context or {})}

    if request.method == "POST":
        action = request.POST.get("action", "upload")
        if action == "cancel":
            discard_upload(request, session_key)
            return redirect(request.path)
        if action == "confirm":
            path = stored_path(pending)
            if path is None or request.POST.get("token") != pending.get("token"):
                messages.warning(
                    request, _("This preview is out of date. Upload the file again, please.")
                )
                return redirect(request.path)
            result = run_import(importer, path)
            if result.applied:
                discard_upload(request, session_key)
                messages.success(
                    request,
                    _("%(file)s imported: %(summary)s")
                    % {"file": pending["name"], "summary": result.summary()},
                )
                return redirect(request.path)
            messages.error(request, _("Nothing was imported: the file has errors."))
            context.update(stage="preview", result=result, pending=pending)
            return render(request, template_name, context)
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            discard_upload(request, session_key)
            request.session[session_key] = store_upload(form.cleaned_data["file"])
            return redirect(f"{request.path}?step=preview")
        context.update(stage="upload", form=form, pending=None)
        return render(request, template_name, context)

    if request.GET.get("step") == "preview":
        path = stored_path(pending)
        if path is None:
            messages.warning(request, _("No file is waiting to be imported. Upload one, please."))
            return redirect(request.path)
        result = plan_import(importer, path)
        context.update(stage="preview", result=result, pending=pending)
        return render(request, template_name, context)

    context.update(stage="upload", form=ImportUploadForm(), pending=pending)
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
                % {"path": path, "n": len(result.errors)}
            )
        if dry_run:
            self.stdout.write(_("Dry run, nothing written: ") + result.summary())
        else:
            self.stdout.write(result.summary())
