"""Accounts and ledgers: households, deposits, interest, reversals, the household import."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.choices import Role
from portal.imports import import_view
from portal.params import query_flag, query_text
from portal.scoping import is_bureau

from .. import selectors, services
from ..forms import DepositForm, InterestForm
from ..imports import HouseholdImporter
from ..models import Posting
from .common import SEARCH_MAX, _error_message, _form_errors_message, _page, _require_bureau


@login_required
def account_list(request: HttpRequest) -> HttpResponse:
    accounts = selectors.accounts_for_user(user=request.user)
    q = query_text(request, "q", max_length=SEARCH_MAX)
    if q:
        accounts = selectors.account_search(accounts, q)
    low = query_flag(request, "low")
    if low:
        accounts = selectors.accounts_low(accounts)
    return render(
        request,
        "funds/account_list.html",
        {"page_obj": _page(request, accounts), "q": q, "low": low},
    )


@login_required
def account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    account = selectors.account_get_for_user(user=request.user, pk=pk)
    households = selectors.account_households(account=account)
    context = {
        "account": account,
        "page_obj": _page(request, households),
        "postings": selectors.account_postings(account=account),
        "is_bureau": is_bureau(request.user),
    }
    if context["is_bureau"]:
        context["deposit_form"] = DepositForm(households=households)
        context["interest_form"] = InterestForm()
    return render(request, "funds/account_detail.html", context)


@require_POST
@login_required
def account_deposit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_bureau(request)
    account = selectors.account_get_for_user(user=request.user, pk=pk)
    form = DepositForm(request.POST, households=account.households.all())
    if not form.is_valid():
        _form_errors_message(request, form)
        return redirect("funds:account_detail", pk=account.pk)
    try:
        services.deposit_post(
            user=request.user,
            household=form.cleaned_data["household"],
            amount=form.cleaned_data["amount"],
            memo=form.cleaned_data["memo"],
        )
    except ValidationError as exc:
        _error_message(request, exc)
    else:
        messages.success(request, _("The deposit is posted."))
    return redirect("funds:account_detail", pk=account.pk)


@require_POST
@login_required
def account_interest(request: HttpRequest, pk: int) -> HttpResponse:
    _require_bureau(request)
    account = selectors.account_get_for_user(user=request.user, pk=pk)
    form = InterestForm(request.POST)
    if not form.is_valid():
        _form_errors_message(request, form)
        return redirect("funds:account_detail", pk=account.pk)
    try:
        services.interest_allocate(
            user=request.user,
            account=account,
            amount=form.cleaned_data["amount"],
            memo=form.cleaned_data["memo"],
        )
    except ValidationError as exc:
        _error_message(request, exc)
    else:
        messages.success(request, _("The interest is allocated to the households."))
    return redirect("funds:account_detail", pk=account.pk)


@require_POST
@login_required
def posting_reverse(request: HttpRequest, pk: int) -> HttpResponse:
    _require_bureau(request)
    posting = get_object_or_404(Posting, pk=pk)
    try:
        services.posting_reverse(user=request.user, posting=posting)
    except ValidationError as exc:
        _error_message(request, exc)
    else:
        messages.success(request, _("The posting is reversed by a counter-posting."))
    return redirect("funds:account_detail", pk=posting.account_id)


@login_required
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    household = selectors.household_get_for_user(user=request.user, pk=pk)
    return render(
        request,
        "funds/household_detail.html",
        {
            "household": household,
            "entries": list(selectors.household_entries(household=household)),
            "show_names": request.user.role != Role.FIRM,
        },
    )


@login_required
def household_import(request: HttpRequest, pk: int) -> HttpResponse:
    if not is_bureau(request.user):
        raise PermissionDenied(_("Only bureau staff may do this."))
    account = selectors.account_get_for_user(user=request.user, pk=pk)
    return import_view(
        request,
        HouseholdImporter(compound=account.compound, user=request.user),
        template_name="funds/household_import.html",
        extra_context={"account": account},
    )
