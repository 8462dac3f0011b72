"""Spreadsheet import pages of the registry (upload, preview, confirm)."""

from __future__ import annotations

from django.http import HttpResponse


def firm_import(request, *args, **kwargs) -> HttpResponse:
    raise NotImplementedError


def compound_import(request, *args, **kwargs) -> HttpResponse:
    raise NotImplementedError
