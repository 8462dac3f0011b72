"""The case pages: the list and a case with the one action its reader may take next (raise,
review, report, close, confirm, credit event), and the bureau's monthly figures. Phone-first:
community officers and departments use them in the field."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from portal.choices import Role
from portal.web import add_service_errors

from . import selectors, services
from .choices import CaseState
from .forms import (
    CaseFilterForm,
    CaseForm,
    CloseForm,
    ConfirmForm,
    CreditForm,
    HandleForm,
    MonthForm,
    ReportForm,
    WhistleForm,
)

CASES_PER_PAGE = 25


def _reader(request: HttpRequest) -> None:
    if not selectors.can_read_cases(request.user):
        raise Http404


@login_required
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    _reader(request)
    user = request.user
    search = CaseFilterForm(request.GET or None)
    cases = selectors.cases_for_user(user=user)
    now = timezone.now()
    if search.is_valid():
        if search.cleaned_data["state"]:
            cases = cases.filter(state=search.cleaned_data["state"])
        if search.cleaned_data["overdue"]:
            cases = cases.filter(selectors.overdue_filter(now))
    if request.GET.get("credit") == "none":
        cases = cases.filter(credit_event__isnull=True)
    if request.GET.get("todo") and user.role == Role.DEPARTMENT:
        cases = cases.filter(pk__in=selectors.dispatches_to_report(user=user).values("case_id"))
    page = Paginator(cases.order_by("-raised_at", "-pk"), CASES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    for case in page:
        case.overdue = case.is_overdue(now)
        case.step = case.current_step()
    to_report = (
        list(selectors.dispatches_to_report(user=user)) if user.role == Role.DEPARTMENT else []
    )
    return render(
        request,
        "cases/case_list.html",
        {
            "page_obj": page,
            "search": search,
            "can_raise": selectors.can_raise(user),
            "to_report": to_report,
            "now": now,
        },
    )


@login_required
def case_create(request: HttpRequest) -> HttpResponse:
    if not selectors.can_raise(request.user):
        raise Http404
    form = CaseForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.case_raise(
                user=request.user,
                compound=data["compound"],
                category=data["category"],
                description=data["description"],
                urgency=data["urgency"],
                photos=data["photos"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The warning was sent to the street."))
            return redirect("cases:case_detail", pk=case.pk)
    return render(request, "cases/case_form.html", {"form": form})


def _detail(request: HttpRequest, case, status: int = 200, **forms) -> HttpResponse:
    """The case page, with the forms of the action its reader may take now."""
    user = request.user
    now = timezone.now()
    street_here = user.role == Role.STREET and user.street_id == case.compound.community.street_id
    community_here = user.role == Role.COMMUNITY and user.community_id == case.compound.community_id
    my_dispatch = None
    if user.role == Role.DEPARTMENT:
        my_dispatch = next(
            (
                d
                for d in case.dispatches.all()
                if d.department_id == user.department_id and d.round == case.round
            ),
            None,
        )
    waiting = case.state == CaseState.WHISTLED
    context = {
        "case": case,
        "now": now,
        "overdue": case.is_overdue(now),
        "step": case.current_step(),
        "dispatches": list(case.dispatches.all()),
        "photos": list(case.photos.all()),
        "history": case.history.select_related("history_user")[:30],
        "can_review": street_here and case.state == CaseState.RAISED,
        "can_close": street_here and waiting,
        "can_confirm": community_here and case.state == CaseState.CLOSED,
        "my_dispatch": my_dispatch,
        "can_report": bool(my_dispatch and not my_dispatch.is_reported and waiting),
        "can_credit": selectors.can_record_credit(user)
        and case.state == CaseState.CONFIRMED
        and not case.credit_event_id
        and case.compound.firm_id is not None,
        "credit_visible": user.role == Role.BUREAU,
        "handle_form": forms.get("handle_form") or HandleForm(),
        "whistle_form": forms.get("whistle_form") or WhistleForm(),
        "report_form": forms.get("report_form") or ReportForm(),
        "close_form": forms.get("close_form") or CloseForm(),
        "confirm_form": forms.get("confirm_form") or ConfirmForm(),
        "credit_form": forms.get("credit_form") or CreditForm(),
    }
    return render(request, "cases/case_detail.html", context, status=status)


@login_required
@require_GET
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _reader(request)
    return _detail(request, selectors.case_detail_for_user(user=request.user, pk=pk))


def _act(request: HttpRequest, pk: int, form_class, name: str, action, done: str):
    """Bind the action's form; on a valid one call the service; a refusal shows on the form."""
    _reader(request)
    case = selectors.case_detail_for_user(user=request.user, pk=pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            action(case, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("cases:case_detail", pk=case.pk)
    return _detail(request, case, **{name: form})


@login_required
@require_POST
def case_handle(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        HandleForm,
        "handle_form",
        lambda case, data: services.case_handle(
            user=request.user, case=case, note=data["handle_note"]
        ),
        _("The street handled it; the community will confirm on the spot."),
    )


@login_required
@require_POST
def case_whistle(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        WhistleForm,
        "whistle_form",
        lambda case, data: services.case_whistle(
            user=request.user,
            case=case,
            departments=list(data["departments"]),
            note=data["whistle_note"],
        ),
        _("The whistle is blown: the departments must report by the deadline."),
    )


@login_required
@require_POST
def case_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        CloseForm,
        "close_form",
        lambda case, data: services.case_close(
            user=request.user, case=case, note=data["close_note"]
        ),
        _("The case is closed; the community will confirm on the spot."),
    )


@login_required
@require_POST
def case_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        ConfirmForm,
        "confirm_form",
        lambda case, data: services.case_confirm(
            user=request.user, case=case, resolved=data["resolved"], note=data["confirm_note"]
        ),
        _("Your answer was recorded."),
    )


@login_required
@require_POST
def case_credit(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        CreditForm,
        "credit_form",
        lambda case, data: services.case_credit_event(
            user=request.user, case=case, points=data["points"], reason=data["reason"]
        ),
        _("The case is recorded as a credit event of the firm."),
    )


@login_required
def dispatch_report(request: HttpRequest, pk: int) -> HttpResponse:
    """A department's report on a case sent to it; any other dispatch answers 404."""
    dispatch = selectors.dispatch_get_for_department(user=request.user, pk=pk)
    case = selectors.case_detail_for_user(user=request.user, pk=dispatch.case_id)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.dispatch_report(
                user=request.user,
                dispatch=dispatch,
                action=form.cleaned_data["action"],
                result=form.cleaned_data["result"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your report was recorded."))
            return redirect("cases:case_detail", pk=case.pk)
    return render(
        request, "cases/dispatch_report.html", {"case": case, "dispatch": dispatch, "form": form}
    )


@login_required
@require_GET
def figures(request: HttpRequest) -> HttpResponse:
    """The bureau's monthly figures by street: raised, closed on time, days per step."""
    if not selectors.can_read_figures(request.user):
        raise Http404
    today = timezone.localdate()
    form = MonthForm(request.GET or None)
    year, month = (
        form.cleaned_data["month"]
        if form.is_valid() and form.cleaned_data["month"]
        else (today.year, today.month)
    )
    rows = selectors.monthly_figures(year=year, month=month)
    return render(
        request,
        "cases/figures.html",
        {
            "form": form,
            "rows": rows,
            "year": year,
            "month": month,
            "month_value": f"{year:04d}-{month:02d}",
        },
    )
