"""What the fund pages share: pagination, error messages, the applicant roles."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import HttpRequest
from django.utils.translation import gettext as _

from portal.params import page_of
from portal.scoping import is_bureau

PER_PAGE = 50
SEARCH_MAX = 100  # longer than any compound's name or code


def _page(request: HttpRequest, items, per_page: int = PER_PAGE):
    return page_of(request, items, per_page, ids_first=True)


def _error_message(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _form_errors_message(request: HttpRequest, form: Form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


def _require_bureau(request: HttpRequest) -> None:
    if not is_bureau(request.user):
        raise PermissionDenied(_("Only bureau staff may do this."))
