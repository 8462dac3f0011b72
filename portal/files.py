"""Uploaded files (evidence, quotes, objection and answer files) are never public: one view
serves them, to whoever may read the row that holds them.

Each app registers the kinds of file it keeps, with the selector that lists the rows a user
may read (the selectors filter through `portal.scoping`):

    files.register("emergency-quote", rows=emergencies_for_user, field="quote_file")

and links to `{% url 'portal:file' 'emergency-quote' application.pk %}`. A row the user may
not read, or one without a file, answers 404 alike; nothing is served from /media/.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_GET

# Shown in the browser; anything else is downloaded (an HTML or SVG upload never runs here).
INLINE_TYPES = {"application/pdf", "image/jpeg", "image/png", "image/gif", "image/webp"}


@dataclass(frozen=True)
class FileKind:
    rows: Callable[..., object]  # rows(user=...) -> the QuerySet of rows the user may read
    field: str  # the FileField holding the file
    name: Callable[[object], str] | None = None  # the file's name for the user


_kinds: dict[str, FileKind] = {}


def register(
    kind: str, *, rows: Callable[..., object], field: str, name: Callable | None = None
) -> None:
    _kinds[kind] = FileKind(rows=rows, field=field, name=name)


def kinds() -> dict[str, FileKind]:
    return dict(_kinds)


@require_GET
@login_required
def download(request: HttpRequest, kind: str, pk: int) -> FileResponse:
    spec = _kinds.get(kind)
    if spec is None:
        raise Http404
    row = spec.rows(user=request.user).filter(pk=pk).first()
    stored = getattr(row, spec.field, None) if row is not None else None
    if not stored:
        raise Http404
    name = spec.name(row) if spec.name else PurePath(stored.name).name
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    try:
        handle = stored.open("rb")
    except FileNotFoundError as exc:  # the row outlived its file (a restore without media)
        raise Http404 from exc
    response = FileResponse(
        handle,
        content_type=content_type,
        filename=name,
        as_attachment=content_type not in INLINE_TYPES,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
