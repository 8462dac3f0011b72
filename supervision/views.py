"""The spot-check pages: the public plans and their draw, the bureau's plan and
rectification order, the inspectors' checks and result form."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from credit import selectors as credit_selectors
from portal.choices import Role
from portal.web import act_and_return, add_service_errors, bureau_required, refusal_messages

from . import selectors, services
from .choices import CHECKLIST, CheckState
from .forms import DeductionForm, PlanForm, RectificationAnswerForm, ResultForm, SendBackForm

CHECKS_PER_PAGE = 50
SCRIPT = Path(settings.BASE_DIR) / "scripts" / "spot_check_draw.py"


def _page(request: HttpRequest, queryset, per_page: int = CHECKS_PER_PAGE):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    plans = selectors.plans_for_user(user=request.user)
    return render(
        request,
        "supervision/plan_list.html",
        {"page_obj": _page(request, plans, 25), "can_plan": selectors.can_plan(request.user)},
    )


@bureau_required
def plan_create(request: HttpRequest) -> HttpResponse:
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.plan_create(
                user=request.user,
                name=data["name"],
                start=data["start"],
                end=data["end"],
                checks_per_year=form.checks_per_year(),
                inspectors=list(data["inspectors"]),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The plan was created; its seed is fixed."))
            return redirect("supervision:plan_detail", pk=plan.pk)
    return render(request, "supervision/plan_form.html", {"form": form})


@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get_for_user(user=request.user, pk=pk)
    page = _page(request, selectors.plan_checks(plan))
    readable = (
        set(
            selectors.checks_for_user(user=request.user)
            .filter(pk__in=[check.pk for check in page])
            .values_list("pk", flat=True)
        )
        if request.user.is_authenticated
        else set()
    )
    return render(
        request,
        "supervision/plan_detail.html",
        {
            "plan": plan,
            "page_obj": page,
            "readable": readable,
            "can_plan": selectors.can_plan(request.user),
            "pool": selectors.plan_pool(plan) if not plan.is_published else None,
            "today": timezone.localdate(),
        },
    )


@bureau_required
@require_POST
def plan_publish(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get_for_user(user=request.user, pk=pk)
    try:
        plan = services.plan_publish(user=request.user, plan=plan)
    except ValidationError as exc:
        refusal_messages(request, exc)
    else:
        messages.success(request, _("The draw is done and the plan is published."))
    return redirect("supervision:plan_detail", pk=plan.pk)


def _published_plan(request: HttpRequest, pk: int):
    plan = selectors.plan_get_for_user(user=request.user, pk=pk)
    if not plan.is_published:
        raise Http404(_("The plan is not drawn yet."))
    return plan


@require_GET
def algorithm(request: HttpRequest) -> HttpResponse:
    """The steps of the draw and the script that re-runs it (scripts/spot_check_draw.py)."""
    return render(
        request, "supervision/algorithm.html", {"script": SCRIPT.read_text(encoding="utf-8")}
    )


@require_GET
def plan_document(request: HttpRequest, pk: int) -> HttpResponse:
    """The published document of the draw, byte for byte (its SHA-256 is on the plan page)."""
    plan = _published_plan(request, pk)
    response = HttpResponse(
        plan.document.encode("utf-8"), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="spot-check-plan-{plan.pk}.json"'
    return response


@require_GET
def plan_rerun(request: HttpRequest, pk: int) -> HttpResponse:
    """The draw re-run by the portal on the published document, beside the published checks."""
    plan = _published_plan(request, pk)
    rerun = services.plan_rerun(plan)
    published = [
        (check.compound.code, check.number, str(check.first_inspector), str(check.second_inspector))
        for check in selectors.plan_checks(plan)
    ]
    return render(
        request,
        "supervision/plan_rerun.html",
        {
            "plan": plan,
            "matches": rerun == published,
            "count": len(rerun),
            "digest_matches": services.sha256_hex(plan.document) == plan.document_digest,
            "rows": rerun[:CHECKS_PER_PAGE],
        },
    )


@login_required
@require_GET
def check_list(request: HttpRequest) -> HttpResponse:
    """The checks the user may read, their own to record first."""
    if not selectors.can_read_checks(request.user):
        raise Http404
    mine = selectors.checks_to_record(user=request.user)
    page = _page(
        request,
        selectors.checks_for_user(user=request.user).order_by(
            "-plan__start", "compound__code", "number"
        ),
    )
    return render(request, "supervision/check_list.html", {"mine": mine, "page_obj": page})


@login_required
@require_GET
def check_detail(request: HttpRequest, pk: int) -> HttpResponse:
    check = selectors.check_get_for_user(user=request.user, pk=pk)
    today = timezone.localdate()
    labels = dict(CHECKLIST)
    return render(
        request,
        "supervision/check_detail.html",
        {
            "check": check,
            "items": [
                (labels[code], value) for code, value in check.checklist.items() if code in labels
            ],
            "photos": check.photos.all() if selectors.can_see_photos(request.user, check) else None,
            "can_record": selectors.can_record(request.user, check),
            "can_rectify": selectors.can_plan(request.user) and check.state == CheckState.ISSUES,
            "notice_visible": selectors.can_read_notices(request.user),
            "today": today,
            "late": check.is_late(today),
            "evidence": check.rectification_evidence.all(),
            "can_answer": selectors.can_answer_rectification(request.user, check),
            "can_review": check.state == CheckState.ANSWERED
            and selectors.can_review_rectification(request.user, check),
            "can_deduct": selectors.can_deduct(request.user, check, today),
            "send_back_form": SendBackForm(),
            "deduction_form": DeductionForm(),
            "event_visible": credit_selectors.can_read_ratings(request.user),
            "can_see_own_events": request.user.role == Role.FIRM,
            "history": selectors.check_history(check),
        },
    )


@login_required
def check_record(request: HttpRequest, pk: int) -> HttpResponse:
    check = selectors.check_get_for_user(user=request.user, pk=pk)
    if not selectors.can_record(request.user, check):
        raise Http404(_("This check is not yours to record."))
    form = ResultForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.check_record(
                user=request.user,
                check=check,
                checklist=form.checklist(),
                notes=form.cleaned_data["notes"],
                outcome=form.cleaned_data["outcome"],
                photos=form.cleaned_data["photos"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The result was recorded."))
            return redirect("supervision:check_detail", pk=check.pk)
    return render(request, "supervision/check_record.html", {"check": check, "form": form})


@bureau_required
@require_POST
def check_rectify(request: HttpRequest, pk: int) -> HttpResponse:
    check = selectors.check_get_for_user(user=request.user, pk=pk)
    try:
        services.check_order_rectification(user=request.user, check=check)
    except ValidationError as exc:
        refusal_messages(request, exc)
    else:
        messages.success(request, _("The firm was ordered to rectify."))
    return redirect("supervision:check_detail", pk=check.pk)


# --- rectification to the end ----------------------------------------------------------------


@login_required
def check_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """The managing firm answers the rectification order with measures and evidence."""
    check = selectors.check_get_for_user(user=request.user, pk=pk)
    if not selectors.can_answer_rectification(request.user, check):
        raise Http404(_("No rectification of this check awaits your answer."))
    form = RectificationAnswerForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.check_rectification_answer(
                user=request.user,
                check=check,
                measures=form.cleaned_data["measures"],
                evidence=form.cleaned_data["files"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your answer was sent for review."))
            return redirect("supervision:check_detail", pk=check.pk)
    return render(request, "supervision/check_answer.html", {"check": check, "form": form})


@login_required
@require_POST
def check_accept(request: HttpRequest, pk: int) -> HttpResponse:
    check = selectors.check_get_for_user(user=request.user, pk=pk)
    if not selectors.can_review_rectification(request.user, check):
        raise Http404
    try:
        services.check_rectification_accept(user=request.user, check=check)
    except ValidationError as exc:
        refusal_messages(request, exc)
    else:
        messages.success(request, _("The rectification was accepted."))
    return redirect("supervision:check_detail", pk=check.pk)


@login_required
@require_POST
def check_send_back(request: HttpRequest, pk: int) -> HttpResponse:
    check = selectors.check_get_for_user(user=request.user, pk=pk)
    if not selectors.can_review_rectification(request.user, check):
        raise Http404
    form = SendBackForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reasons for sending the answer back."))
        return redirect("supervision:check_detail", pk=check.pk)
    try:
        services.check_rectification_send_back(
            user=request.user, check=check, reasons=form.cleaned_data["reasons"]
        )
    except ValidationError as exc:
        refusal_messages(request, exc)
    else:
        messages.success(request, _("The answer was sent back to the firm."))
    return redirect("supervision:check_detail", pk=check.pk)


@bureau_required
@require_POST
def check_deduct(request: HttpRequest, pk: int) -> HttpResponse:
    check = selectors.check_get_for_user(user=request.user, pk=pk)
    return act_and_return(
        request,
        DeductionForm(request.POST),
        lambda data: services.check_record_deduction(
            user=request.user, check=check, points=data["points"]
        ),
        _("The deduction was recorded on the firm's credit record."),
        redirect("supervision:check_detail", pk=check.pk),
    )
