"""Registry pages (bureau writes, scoped reads), the spreadsheet imports of the registry
(upload, preview, confirm: bureau staff only) and the public firm lookup."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import EmptyPage
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters import FilterSet
from django_tables2 import RequestConfig, Table

from portal import pagecache
from portal.exports import table_rows, xlsx_response
from portal.imports import import_view
from portal.params import PAGE_MAX, CappedPaginator, page_of, query_choice, query_int, query_text
from portal.ratelimits import rate_limit
from portal.scoping import can_edit_registry
from portal.web import add_service_errors, bureau_required

from . import public_record, selectors, services
from .filters import CompoundFilter, FirmFilter
from .forms import ChangeFirmForm, CompoundCreateForm, CompoundForm, FirmForm
from .imports import CompoundImporter, FirmImporter
from .tables import CompoundTable, FirmTable, PageFirst

PER_PAGE = 50
PUBLIC_PER_PAGE = 20
PUBLIC_QUERY_MAX = 100  # longer than any firm's name or code
# A lookup, not a register to browse: past 50 pages the visitor types more of the name. A
# fragment nearly every name holds (物业) costs the count a row each up to the cap.
PUBLIC_COUNT_CAP = 1_000
EXPORT_FORMAT = "xlsx"


def _registry_list(
    request: HttpRequest,
    *,
    queryset: QuerySet,
    filterset_class: type[FilterSet],
    table_class: type[Table],
    template: str,
    export_name: str,
    title: str,
) -> HttpResponse:
    exporting = bool(query_choice(request, "_export", [EXPORT_FORMAT]))
    filterset = filterset_class(request.GET, queryset=queryset, request=request)
    table = table_class(PageFirst(filterset.qs))
    if exporting:
        RequestConfig(request, paginate=False).configure(table)  # keeps the chosen sorting
        return xlsx_response(
            table_rows(table),  # read in chunks, written as it goes
            filename=f"{export_name}-{timezone.localdate().isoformat()}.{EXPORT_FORMAT}",
            sheet_title=title,
        )
    RequestConfig(request, paginate=False).configure(table)  # the chosen sorting
    _paginate(request, table, filterset.qs)
    context = {
        "filterset": filterset,
        "table": table,
        "total": table.paginator.count,
        "capped": table.paginator.capped,
        "cap": table.paginator.cap,
        "filtered": any(filterset.data.get(name) for name in filterset.filters),
        "can_edit": can_edit_registry(request.user),
        "export_query": _export_query(request),
    }
    return render(request, template, context)


def _paginate(request: HttpRequest, table: Table, queryset: QuerySet) -> None:
    """The page asked for, the last one past the end; always PER_PAGE rows (RequestConfig
    would take a hand-made ?per_page=0 or -1 and fail on it). `queryset`: the table's rows,
    counted."""
    number = query_int(request, "page", minimum=1, maximum=PAGE_MAX) or 1
    try:
        table.paginate(CappedPaginator, PER_PAGE, number, queryset=queryset)
    except EmptyPage:  # the paginator is kept, with its count
        table.page = table.paginator.page(table.paginator.num_pages)


def _export_query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    query["_export"] = EXPORT_FORMAT
    return query.urlencode()


# --- firms -----------------------------------------------------------------------------------


@login_required
def firm_list(request: HttpRequest) -> HttpResponse:
    return _registry_list(
        request,
        queryset=selectors.firms_for_user(user=request.user),
        filterset_class=FirmFilter,
        table_class=FirmTable,
        template="companies/firm_list.html",
        export_name="firms",
        title=_("Firms"),
    )


@login_required
def firm_detail(request: HttpRequest, pk: int) -> HttpResponse:
    firm = selectors.firm_get_for_user(user=request.user, pk=pk)
    context = {
        "firm": firm,
        "history": selectors.history_for(firm),
        "can_edit": can_edit_registry(request.user),
    }
    return render(request, "companies/firm_detail.html", context)


@bureau_required
def firm_create(request: HttpRequest) -> HttpResponse:
    form = FirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            firm = services.firm_create(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Firm %(name)s was registered.") % {"name": firm.name})
            return redirect("companies:firm_detail", pk=firm.pk)
    return render(request, "companies/firm_form.html", {"form": form, "firm": None})


@bureau_required
def firm_edit(request: HttpRequest, pk: int) -> HttpResponse:
    firm = selectors.firm_get_for_user(user=request.user, pk=pk)
    form = FirmForm(request.POST or None, instance=firm)
    if request.method == "POST" and form.is_valid():
        try:
            services.firm_update(user=request.user, firm=firm, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The firm's data were saved."))
            return redirect("companies:firm_detail", pk=firm.pk)
    return render(request, "companies/firm_form.html", {"form": form, "firm": firm})


# --- compounds -------------------------------------------------------------------------------


@login_required
def compound_list(request: HttpRequest) -> HttpResponse:
    return _registry_list(
        request,
        queryset=selectors.compounds_for_user(user=request.user),
        filterset_class=CompoundFilter,
        table_class=CompoundTable,
        template="companies/compound_list.html",
        export_name="compounds",
        title=_("Compounds"),
    )


@login_required
def compound_detail(request: HttpRequest, pk: int) -> HttpResponse:
    compound = selectors.compound_get_for_user(user=request.user, pk=pk)
    context = {
        "compound": compound,
        "current": selectors.compound_open_period(compound),
        "history": selectors.history_for(compound),
        "can_edit": can_edit_registry(request.user),
    }
    return render(request, "companies/compound_detail.html", context)


@bureau_required
def compound_create(request: HttpRequest) -> HttpResponse:
    form = CompoundCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        since = fields.pop("since") or timezone.localdate()
        try:
            compound = services.compound_create(user=request.user, since=since, **fields)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Compound %(name)s was registered.") % {"name": compound.name}
            )
            return redirect("companies:compound_detail", pk=compound.pk)
    return render(request, "companies/compound_form.html", {"form": form, "compound": None})


@bureau_required
def compound_edit(request: HttpRequest, pk: int) -> HttpResponse:
    compound = selectors.compound_get_for_user(user=request.user, pk=pk)
    form = CompoundForm(request.POST or None, instance=compound)
    if request.method == "POST" and form.is_valid():
        try:
            services.compound_update(user=request.user, compound=compound, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The compound's data were saved."))
            return redirect("companies:compound_detail", pk=compound.pk)
    context = {"form": form, "compound": compound}
    return render(request, "companies/compound_form.html", context)


@bureau_required
def compound_change_firm(request: HttpRequest, pk: int) -> HttpResponse:
    """Two steps: the form, then what will happen (which period ends, which begins), then save."""
    compound = selectors.compound_get_for_user(user=request.user, pk=pk)
    current = selectors.compound_open_period(compound)
    form = ChangeFirmForm(request.POST or None, compound=compound, current=current)
    preview = False
    if request.method == "POST" and form.is_valid():
        if request.POST.get("confirm") != "1":
            preview = True
        else:
            try:
                services.compound_change_firm(
                    user=request.user,
                    compound=compound,
                    firm=form.cleaned_data["firm"],
                    since=form.cleaned_data["since"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The managing firm was changed."))
                return redirect("companies:compound_detail", pk=compound.pk)
    context = {"compound": compound, "current": current, "form": form, "preview": preview}
    return render(request, "companies/compound_change_firm.html", context)


# --- spreadsheet imports ---------------------------------------------------------------------


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


# --- public ----------------------------------------------------------------------------------


@rate_limit("public_search")
def public_firm_search(request: HttpRequest) -> HttpResponse:
    q = query_text(request, "q", max_length=PUBLIC_QUERY_MAX)
    firms = selectors.public_firm_search(q=q)
    page_obj = page_of(request, firms, PUBLIC_PER_PAGE, cap=PUBLIC_COUNT_CAP) if q else None
    return render(request, "companies/public_firm_search.html", {"q": q, "page_obj": page_obj})


@rate_limit("public_pages")
def public_firm_detail(request: HttpRequest, credit_code: str) -> HttpResponse:
    firm = selectors.public_firm_get(credit_code=credit_code)
    sections, values = public_record.sections_of(firm)
    context = {"firm": firm, "sections": sections, **values}
    response = render(request, "companies/public_firm_detail.html", context)
    # Kept for anonymous visitors under the stamp of what it shows (companies/public_page.py).
    return pagecache.cacheable(response, rate_group="public_pages")
