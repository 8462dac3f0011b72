"""Emergency use pages: the board, filing, and each step."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.choices import Role
from portal.params import query_choice, query_flag
from portal.web import add_service_errors

from .. import selectors, services
from ..choices import APPLICANT_ROLES, EMERGENCY_WAITING, EmergencyStatus
from ..forms import ApproveForm, EmergencyForm, RejectForm
from .common import _error_message, _form_errors_message, _page


@login_required
def emergency_list(request: HttpRequest) -> HttpResponse:
    applications = selectors.emergencies_for_user(user=request.user)
    status = query_choice(request, "status", EmergencyStatus.values)
    if status:
        applications = applications.filter(status=status)
    if query_flag(request, "overdue"):
        applications = applications.overdue()
    return render(
        request,
        "funds/emergency_list.html",
        {
            "board": selectors.emergency_board(user=request.user),
            "page_obj": _page(request, applications),
            "statuses": EmergencyStatus.choices,
            "status": status,
            "can_file": request.user.role in APPLICANT_ROLES,
            "now": timezone.now(),
        },
    )


@login_required
def emergency_create(request: HttpRequest) -> HttpResponse:
    if request.user.role not in APPLICANT_ROLES:
        raise PermissionDenied(_("Only a firm or an owners' committee files emergency use."))
    compounds = selectors.compounds_for_applicant(user=request.user)
    form = EmergencyForm(request.POST or None, request.FILES or None, compounds=compounds)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = services.emergency_file(
                user=request.user,
                compound=data["compound"],
                kind=data["kind"],
                title=data["title"],
                description=data["description"],
                quote_amount=data["quote_amount"],
                scope=data["scope"],
                building=data["building"],
                unit=data["unit"],
                quote_file=data["quote_file"],
                evidence_files=data["evidence"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The emergency application is filed."))
            return redirect("funds:emergency_detail", pk=application.pk)
    return render(request, "funds/emergency_form.html", {"form": form})


def _emergency_actions(user, application) -> dict[str, bool]:
    status = application.status
    return {
        "can_certify": status == EmergencyStatus.FILED and user.role == Role.COMMUNITY,
        "can_confirm": status == EmergencyStatus.CERTIFIED and user.role == Role.STREET,
        "can_approve": status == EmergencyStatus.CONFIRMED and user.role == Role.BUREAU,
        "can_complete": status == EmergencyStatus.APPROVED and user.role in APPLICANT_ROLES,
    }


@login_required
def emergency_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.emergency_get_for_user(user=request.user, pk=pk)
    actions = _emergency_actions(request.user, application)
    can_reject = any(actions[k] for k in ("can_certify", "can_confirm", "can_approve"))
    waiting = application.status in EMERGENCY_WAITING
    # While it waits, the approvers see what each household would pay of the quote.
    shares = selectors.emergency_cost_shares(application=application) if waiting else []
    return render(
        request,
        "funds/emergency_detail.html",
        {
            "application": application,
            "evidence": list(application.evidence.all()),
            "notices": list(application.notices.all()),
            "history": list(application.history.select_related("history_user")[:30]),
            "approve_form": ApproveForm(initial={"amount": application.quote_amount}),
            "reject_form": RejectForm(),
            "can_reject": can_reject,
            "waiting": waiting,
            "shares_page": _page(request, shares) if shares else None,
            "shares_count": len(shares),
            "shares_total": sum((row.share for row in shares), Decimal("0.00")),
            **actions,
        },
    )


@require_POST
@login_required
def emergency_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    application = selectors.emergency_get_for_user(user=request.user, pk=pk)
    done = {
        "certify": _("The emergency is certified."),
        "confirm": _("The emergency is confirmed."),
        "approve": _("The emergency use is approved, disbursed and publicised."),
        "reject": _("The application is rejected."),
        "complete": _("The work is reported completed."),
    }
    if action not in done:
        raise PermissionDenied
    try:
        if action == "certify":
            services.emergency_certify(user=request.user, application=application)
        elif action == "confirm":
            services.emergency_confirm(user=request.user, application=application)
        elif action == "approve":
            form = ApproveForm(request.POST)
            if not form.is_valid():
                _form_errors_message(request, form)
                return redirect("funds:emergency_detail", pk=pk)
            services.emergency_approve(
                user=request.user, application=application, amount=form.cleaned_data["amount"]
            )
        elif action == "reject":
            form = RejectForm(request.POST)
            if not form.is_valid():
                _form_errors_message(request, form)
                return redirect("funds:emergency_detail", pk=pk)
            services.emergency_reject(
                user=request.user, application=application, reason=form.cleaned_data["reason"]
            )
        else:
            services.emergency_complete(user=request.user, application=application)
    except ValidationError as exc:
        _error_message(request, exc)
    else:
        messages.success(request, done[action])
    return redirect("funds:emergency_detail", pk=pk)
