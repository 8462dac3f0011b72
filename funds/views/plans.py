"""Maintenance plan pages: declaration, reviews, progress, the overdue list."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.choices import Role
from portal.params import query_choice, query_year
from portal.scoping import is_bureau
from portal.web import add_service_errors

from .. import selectors, services
from ..choices import OVERDUE_ROLES, PLAN_EDITABLE, PlanStatus
from ..forms import (
    PlanCreateForm,
    PlanDeductForm,
    PlanItemForm,
    PlanProgressForm,
    PlanStreetReviewForm,
    ReviewForm,
)
from .common import _error_message, _form_errors_message, _page


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    plans = selectors.plans_for_user(user=request.user)
    status = query_choice(request, "status", PlanStatus.values)
    if status:
        plans = plans.filter(status=status)
    year = query_year(request)
    if year:
        plans = plans.filter(year=year)
    return render(
        request,
        "funds/plan_list.html",
        {
            "page_obj": _page(request, plans),
            "statuses": PlanStatus.choices,
            "status": status,
            "year": year or "",
            "can_declare": request.user.role == Role.FIRM,
            "can_see_overdue": request.user.role in OVERDUE_ROLES,
        },
    )


@login_required
def plan_create(request: HttpRequest) -> HttpResponse:
    if request.user.role != Role.FIRM:
        raise PermissionDenied(_("Only a property firm declares maintenance plans."))
    compounds = selectors.compounds_for_plans(user=request.user)
    form = PlanCreateForm(
        request.POST or None, compounds=compounds, initial={"year": timezone.localdate().year}
    )
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The plan is opened: add its items, then submit it."))
            return redirect("funds:plan_detail", pk=plan.pk)
    return render(request, "funds/plan_form.html", {"form": form})


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get_for_user(user=request.user, pk=pk)
    user, status = request.user, plan.status
    is_firm = user.role == Role.FIRM and user.firm_id == plan.firm_id
    today = timezone.localdate()
    items = selectors.plan_items(plan=plan)
    for item in items:
        item.plan = plan  # already loaded: is_overdue reads the plan without a query
    overdue = [item for item in items if item.is_overdue(today)]
    can_deduct = (
        is_bureau(user)
        and not plan.credit_event_id
        and (bool(overdue) or services.plan_is_late(plan, today))
    )
    return render(
        request,
        "funds/plan_detail.html",
        {
            "plan": plan,
            "items": items,
            "overdue_count": len(overdue),
            "late": services.plan_is_late(plan, today),
            "history": list(plan.history.select_related("history_user")[:30]),
            "can_edit": is_firm and status in PLAN_EDITABLE,
            "can_progress": is_firm and status == PlanStatus.APPROVED,
            "can_street_review": status == PlanStatus.SUBMITTED and user.role == Role.STREET,
            "can_bureau_review": status == PlanStatus.STREET_PASSED and is_bureau(user),
            "can_deduct": can_deduct,
            "item_form": PlanItemForm(),
            "street_form": PlanStreetReviewForm(),
            "bureau_form": ReviewForm(),
            "progress_form": PlanProgressForm(initial={"date": today}),
            "deduct_form": PlanDeductForm(),
        },
    )


@require_POST
@login_required
def plan_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    plan = selectors.plan_get_for_user(user=request.user, pk=pk)
    user = request.user
    forms = {
        "add-item": PlanItemForm,
        "street-review": PlanStreetReviewForm,
        "bureau-review": ReviewForm,
        "deduct": PlanDeductForm,
        "submit": None,
    }
    if action not in forms:
        raise PermissionDenied
    data = {}
    if forms[action] is not None:
        form = forms[action](request.POST)
        if not form.is_valid():
            _form_errors_message(request, form)
            return redirect("funds:plan_detail", pk=pk)
        data = form.cleaned_data
    try:
        if action == "add-item":
            services.plan_item_add(user=user, plan=plan, **data)
            messages.success(request, _("The item is added."))
        elif action == "submit":
            services.plan_submit(user=user, plan=plan)
            messages.success(request, _("The plan is submitted to the street."))
        elif action == "street-review":
            services.plan_street_review(
                user=user, plan=plan, passed=data["decision"] == "pass", comment=data["comment"]
            )
            messages.success(request, _("The review is recorded."))
        elif action == "bureau-review":
            services.plan_bureau_review(
                user=user,
                plan=plan,
                approve=data["decision"] == "approve",
                comment=data["comment"],
            )
            messages.success(request, _("The review is recorded."))
        else:
            services.plan_credit_deduct(user=user, plan=plan, **data)
            messages.success(request, _("The credit deduction is recorded."))
    except ValidationError as exc:
        _error_message(request, exc)
    return redirect("funds:plan_detail", pk=pk)


@require_POST
@login_required
def plan_item_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    item = selectors.plan_item_get_for_user(user=request.user, pk=pk)
    try:
        if action == "progress":
            form = PlanProgressForm(request.POST)
            if not form.is_valid():
                _form_errors_message(request, form)
                return redirect("funds:plan_detail", pk=item.plan_id)
            services.plan_item_progress(user=request.user, item=item, **form.cleaned_data)
            messages.success(request, _("The progress is recorded."))
        elif action == "remove":
            services.plan_item_remove(user=request.user, item=item)
            messages.success(request, _("The item is removed."))
        else:
            raise PermissionDenied
    except ValidationError as exc:
        _error_message(request, exc)
    return redirect("funds:plan_detail", pk=item.plan_id)


@login_required
def plan_overdue(request: HttpRequest) -> HttpResponse:
    if request.user.role not in OVERDUE_ROLES:
        raise PermissionDenied(_("The overdue list is for the bureau and the streets."))
    items = selectors.overdue_plan_items(user=request.user)
    return render(request, "funds/plan_overdue.html", {"page_obj": _page(request, items)})
