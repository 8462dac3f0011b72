"""The assessment pages used in the field: the bureau's window and progress pages, the
officers' scoring grid, a compound's score history, the credit events kept by the bureau, and
the spreadsheet imports of assessments and credit events."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from portal.choices import Role
from portal.imports import import_view
from portal.params import ID_MAX, page_of, parse_int, query_id
from portal.web import add_service_errors, bureau_required

from .. import progress as kept_progress
from .. import selectors, services
from ..forms import (
    AssessmentGridForm,
    CreditEventFilterForm,
    CreditEventForm,
    GridFilterForm,
    ReminderForm,
    WindowOpenForm,
)
from ..imports import AssessmentImporter, CreditEventImporter
from .common import readers_only

GRID_PER_PAGE = 50
MISSING_PER_PAGE = 50
EVENTS_PER_PAGE = 50
HISTORY_LIMIT = 300


def _check_year(year: int) -> None:
    if not 2000 <= year <= 2100:
        raise Http404(_("No such year."))


def _assessor(request: HttpRequest) -> None:
    if not selectors.can_assess(request.user):
        raise PermissionDenied(_("Your role does not assess compounds."))


# --- the window ------------------------------------------------------------------------------


@login_required
def window_list(request: HttpRequest) -> HttpResponse:
    _assessor(request)
    is_bureau = request.user.role == Role.BUREAU
    context = {
        "windows": selectors.assessment_windows(),
        "is_bureau": is_bureau,
        "sees_progress": selectors.can_see_progress(request.user),
        "form": WindowOpenForm() if is_bureau else None,
    }
    return render(request, "credit/window_list.html", context)


@bureau_required
@require_POST
def window_open(request: HttpRequest) -> HttpResponse:
    form = WindowOpenForm(request.POST)
    if form.is_valid():
        year = form.cleaned_data["year"]
        services.assessment_window_open(user=request.user, year=year)
        messages.success(request, _("The assessment window of %(year)s is open.") % {"year": year})
    else:
        messages.error(request, _("Enter a year between 2000 and 2100."))
    return redirect("credit:window_list")


@bureau_required
def window_close(request: HttpRequest, year: int) -> HttpResponse:
    window = selectors.assessment_window_of(year=year)
    if window is None or not window.is_open:
        raise Http404(_("The assessment window of this year is not open."))
    if request.method == "POST":
        services.assessment_window_close(user=request.user, year=year)
        messages.success(
            request, _("The assessment window of %(year)s is closed.") % {"year": year}
        )
        return redirect("credit:window_list")
    return render(request, "credit/window_close.html", {"window": window})


# --- the grid --------------------------------------------------------------------------------


def _posted_compound_ids(request: HttpRequest) -> list[int]:
    ids = [
        parse_int(value, minimum=1, maximum=ID_MAX) for value in request.POST.getlist("compound")
    ]
    if not ids or None in ids or len(ids) != len(set(ids)) or len(ids) > GRID_PER_PAGE:
        raise Http404(_("No such compound."))
    return ids


@login_required
def assessment_grid(request: HttpRequest, year: int) -> HttpResponse:
    """Every compound of the user's area (a page of them) with the six indicator scores in a
    row; one POST saves the page, all or nothing."""
    _assessor(request)
    _check_year(year)
    user = request.user
    window = selectors.assessment_window_of(year=year)
    is_open = bool(window and window.is_open)
    is_bureau = user.role == Role.BUREAU
    may_write = is_open or is_bureau
    role = services.assessor_role_for(user)
    indicators = selectors.grid_indicators(user=user)
    show_street = user.role in (Role.BUREAU, Role.ASSOCIATION)
    filter_form = GridFilterForm(
        request.GET or None,
        streets=selectors.grid_streets(user=user) if show_street else [],
        communities=selectors.grid_communities(user=user),
        show_street=show_street,
    )
    compounds_qs = filter_form.filter(selectors.assessable_compounds(user=user))
    if filter_form.only_missing:
        compounds_qs = kept_progress.not_scored_by(compounds_qs, year=year, role=role)
    page = page_of(request, compounds_qs, GRID_PER_PAGE)
    form_kwargs = {"indicators": indicators, "needs_reason": not is_open and is_bureau}

    if request.method == "POST":
        if not may_write:
            raise PermissionDenied(
                _("The assessment window of %(year)s is closed.") % {"year": year}
            )
        ids = _posted_compound_ids(request)
        # Every posted compound must lie in the user's area, else nothing is written.
        compounds = list(selectors.assessable_compounds(user=user).filter(pk__in=ids))
        if len(compounds) != len(ids):
            raise Http404(_("No such compound."))
        scores = selectors.grid_scores(year=year, role=role, compounds=compounds)
        form = AssessmentGridForm(request.POST, compounds=compounds, scores=scores, **form_kwargs)
        if form.is_valid():
            try:
                written = services.assessment_grid_submit(
                    user=user,
                    year=year,
                    entries=form.entries(),
                    reason=form.cleaned_data.get("reason", ""),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    ngettext(
                        "Saved: %(count)s score changed.",
                        "Saved: %(count)s scores changed.",
                        written,
                    )
                    % {"count": written},
                )
                return redirect(request.get_full_path())
        messages.error(request, _("Nothing was saved: correct the marked cells."))
    else:
        compounds = list(page.object_list)
        scores = selectors.grid_scores(year=year, role=role, compounds=compounds)
        form = AssessmentGridForm(
            compounds=compounds, scores=scores, read_only=not may_write, **form_kwargs
        )

    context = {
        "year": year,
        "window": window,
        "is_open": is_open,
        "may_write": may_write,
        "form": form,
        "filter_form": filter_form,
        "show_filter": user.role != Role.OWNERS_COMMITTEE,
        "page_obj": page,
        "indicators": indicators,
    }
    return render(request, "credit/assessment_grid.html", context)


@login_required
def assessment_history(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    """Every saved version of one compound's scores of the year: value, who, when, why."""
    _assessor(request)
    _check_year(year)
    compound = selectors.assessable_compound_get(user=request.user, pk=pk)
    records = list(
        selectors.assessment_history(user=request.user, compound=compound, year=year)[
            :HISTORY_LIMIT
        ]
    )
    context = {"year": year, "compound": compound, "records": records}
    return render(request, "credit/assessment_history.html", context)


# --- progress --------------------------------------------------------------------------------


@login_required
def progress(request: HttpRequest, year: int) -> HttpResponse:
    """Per street and community of the user's area: compounds assessed out of compounds to
    assess, the missing ones, and (for bureau staff) the reminder to the laggards."""
    if not selectors.can_see_progress(request.user):
        raise PermissionDenied(_("Your role does not follow the assessment progress."))
    _check_year(year)
    street_id = query_id(request, "street")
    community_id = query_id(request, "community")
    figures = kept_progress.assessment_progress(year=year, user=request.user, street_id=street_id)
    missing = kept_progress.compounds_missing_assessment(
        year=year, user=request.user, street_id=street_id, community_id=community_id
    )
    context = {
        "year": year,
        "window": selectors.assessment_window_of(year=year),
        "progress": figures,
        "street_id": street_id,
        "community_id": community_id,
        "page_obj": page_of(request, missing, MISSING_PER_PAGE),
        "remind_form": ReminderForm() if request.user.role == Role.BUREAU else None,
    }
    return render(request, "credit/progress.html", context)


@bureau_required
@require_POST
def progress_remind(request: HttpRequest, year: int) -> HttpResponse:
    _check_year(year)
    form = ReminderForm(request.POST)
    if form.is_valid():
        sent = services.assessment_reminders_send(
            user=request.user, year=year, levels=form.levels()
        )
        messages.success(
            request,
            ngettext("%(count)s reminder was sent.", "%(count)s reminders were sent.", sent)
            % {"count": sent},
        )
    else:
        messages.error(request, _("Choose whom to remind."))
    return redirect("credit:progress", year=year)


# --- credit events ---------------------------------------------------------------------------


@readers_only
def event_list(request: HttpRequest) -> HttpResponse:
    form = CreditEventFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    events = selectors.credit_events_list(
        year=data.get("year"), firm_q=(data.get("firm") or "").strip(), kind=data.get("kind", "")
    )
    context = {
        "filter_form": form,
        "page_obj": page_of(request, events, EVENTS_PER_PAGE),
        "can_manage": selectors.can_manage_credit(request.user),
    }
    return render(request, "credit/event_list.html", context)


@bureau_required
def event_create(request: HttpRequest) -> HttpResponse:
    form = CreditEventForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.credit_event_create(
                user=request.user,
                year=data["year"],
                firm=form.firm_obj,
                kind=data["kind"],
                points=data["points"],
                date=data["date"],
                reason=data["reason"],
                evidence=data.get("evidence"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The credit event was recorded."))
            return redirect("credit:event_list")
    return render(request, "credit/event_form.html", {"form": form, "event": None})


@bureau_required
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.credit_event_get(user=request.user, pk=pk)
    form = CreditEventForm(request.POST or None, request.FILES or None, event=event)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {name: data[name] for name in ("kind", "points", "date", "reason")}
        if data.get("evidence"):
            fields["evidence"] = data["evidence"]
        try:
            services.credit_event_update(
                user=request.user,
                event=event,
                change_reason=data.get("change_reason", ""),
                **fields,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The credit event was saved."))
            return redirect("credit:event_list")
    return render(request, "credit/event_form.html", {"form": form, "event": event})


# --- imports ---------------------------------------------------------------------------------


@bureau_required
def assessment_import(request: HttpRequest) -> HttpResponse:
    return import_view(
        request,
        AssessmentImporter(user=request.user),
        template_name="credit/import.html",
        extra_context={"title": _("Import assessments")},
    )


@bureau_required
def credit_event_import(request: HttpRequest) -> HttpResponse:
    return import_view(
        request,
        CreditEventImporter(user=request.user),
        template_name="credit/import.html",
        extra_context={"title": _("Import credit events")},
    )
