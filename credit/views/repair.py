"""Credit repair pages: a black-listed firm applies, the bureau decides (approving publishes a
new version of the year's lists); and the bureau's working-day calendar."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.params import page_of, query_int
from portal.scoping import is_bureau
from portal.web import (
    act_and_return,
    add_service_errors,
    bureau_required,
    refusal_messages,
    visible_to,
)

from ..forms.repair import (
    CalendarDayForm,
    RepairApplicationForm,
    RepairApproveForm,
    RepairFilterForm,
    RepairRefuseForm,
)
from ..models import CalendarDay
from ..services import repair as services

PER_PAGE = 50


# Signed in (else the login page); the bureau and firms (else 404).
repairs_visible = visible_to(services.can_see_repairs)


@repairs_visible
def repair_list(request: HttpRequest) -> HttpResponse:
    form = RepairFilterForm(request.GET or None)
    applications = services.repair_applications_in_state(
        services.repair_applications_for_user(user=request.user),
        state=form.cleaned_data["state"] if form.is_valid() else "",
        today=timezone.localdate(),
    )
    is_firm = not is_bureau(request.user)
    context = {
        "filter_form": form,
        "page_obj": page_of(request, applications, PER_PAGE),
        "is_firm": is_firm,
        "black_listed": is_firm and services.black_listing_of(request.user.firm) is not None,
    }
    return render(request, "credit/repair_list.html", context)


@repairs_visible
def repair_apply(request: HttpRequest) -> HttpResponse:
    form = RepairApplicationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.repair_application_file(
                user=request.user,
                rectification=form.cleaned_data["rectification"],
                evidence=form.cleaned_data["files"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your application for credit repair was filed."))
            return redirect("credit:repair_detail", pk=application.pk)
    firm = getattr(request.user, "firm", None)
    context = {"form": form, "version": services.black_listing_of(firm) if firm else None}
    return render(request, "credit/repair_form.html", context)


@repairs_visible
def repair_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = services.repair_application_get_for_user(user=request.user, pk=pk)
    late = _late(application)
    context = {
        "application": application,
        "can_decide": application.is_pending and is_bureau(request.user),
        "approve_form": RepairApproveForm(late=late),
        "refuse_form": RepairRefuseForm(late=late),
        "today": timezone.localdate(),
        "history": services.repair_history(application),
    }
    return render(request, "credit/repair_detail.html", context)


def _late(application) -> bool:
    """Pending past its decision date: the decision must say why it is late."""
    return application.is_pending and application.decide_by < timezone.localdate()


@bureau_required
@require_POST
def repair_approve(request: HttpRequest, pk: int) -> HttpResponse:
    application = services.repair_application_get_for_user(user=request.user, pk=pk)
    form = RepairApproveForm(request.POST, late=_late(application))
    if not form.is_valid():
        refusal_messages(request, form)
        return redirect("credit:repair_detail", pk=application.pk)
    try:
        application = services.repair_application_approve(
            user=request.user,
            application=application,
            delay_reason=form.cleaned_data.get("delay_reason", ""),
        )
    except ValidationError as exc:
        refusal_messages(request, exc)
    else:
        messages.success(
            request,
            _("Approved: version %(n)s of the list is published without the firm.")
            % {"n": application.published_version.number},
        )
    return redirect("credit:repair_detail", pk=application.pk)


@bureau_required
@require_POST
def repair_refuse(request: HttpRequest, pk: int) -> HttpResponse:
    application = services.repair_application_get_for_user(user=request.user, pk=pk)
    return act_and_return(
        request,
        RepairRefuseForm(request.POST, late=_late(application)),
        lambda data: services.repair_application_refuse(
            user=request.user,
            application=application,
            reasons=data["reasons"],
            delay_reason=data.get("delay_reason", ""),
        ),
        _("The application was refused."),
        redirect("credit:repair_detail", pk=application.pk),
    )


# --- the working-day calendar ----------------------------------------------------------------


@bureau_required
def calendar_list(request: HttpRequest) -> HttpResponse:
    year = query_int(request, "year", minimum=2000, maximum=2100) or timezone.localdate().year
    form = CalendarDayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            day = services.calendar_day_add(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The day was added to the calendar."))
            return redirect(f"{request.path}?year={day.date.year}")
    context = {
        "year": year,
        "days": services.calendar_days_of(year=year),
        "form": form,
        "years": (year - 1, year + 1),
    }
    return render(request, "credit/calendar_list.html", context)


@bureau_required
@require_POST
def calendar_delete(request: HttpRequest, pk: int) -> HttpResponse:
    day = get_object_or_404(CalendarDay, pk=pk)
    year = day.date.year
    services.calendar_day_delete(user=request.user, day=day)
    messages.success(request, _("The day was removed from the calendar."))
    return redirect(f"{reverse('credit:calendar_list')}?year={year}")
