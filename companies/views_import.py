"""Spreadsheet import pages of the registry (upload, preview, confirm): bureau staff only."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from portal.imports import import_view
from portal.scoping import can_edit_registry

from .imports import CompoundImporter, FirmImporter


def _check(request: HttpRequest) -> None:
    if not can_edit_registry(request.user):
        raise PermissionDenied


@login_required
def firm_import(request: HttpRequest) -> HttpResponse:
    _check(request)
    return import_view(
        request, FirmImporter(user=request.user), template_name="companies/firm_import.html"
    )


@login_required
def compound_import(request: HttpRequest) -> HttpResponse:
    _check(request)
    return import_view(
        request,
        CompoundImporter(user=request.user),
        template_name="companies/compound_import.html",
    )
