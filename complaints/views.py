"""The complaint pages: the list, one complaint with the step its reader may take (answer,
verify), entering one by hand, the hotline import, the clerk's unmatched addresses, and the
year's suggested petitions scores."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from portal.choices import Role
from portal.imports import import_view
from portal.params import page_of, query_choice, query_flag, query_int, query_text
from portal.web import add_service_errors

from . import selectors, services
from .forms import AnswerForm, ComplaintForm, FormulaForm, MatchForm, VerifyForm
from .imports import HotlineImporter

PER_PAGE = 25


def _today():
    return timezone.localdate()


@login_required
@require_GET
def complaint_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not selectors.can_read(user):
        raise Http404
    today = _today()
    complaints = selectors.complaints_for_user(user=user)
    q = query_text(request, "q", max_length=100)
    if q:
        complaints = complaints.filter(
            Q(order_number__icontains=q)
            | Q(address__icontains=q)
            | Q(compound__name__icontains=q)
            | Q(category__icontains=q)
        )
    step = query_choice(request, "step", ("answer", "verify"))
    if step == "answer":
        complaints = complaints.filter(selectors.to_answer_filter())
    elif step == "verify":
        complaints = complaints.filter(selectors.to_verify_filter())
    overdue = query_flag(request, "overdue")
    if overdue:
        complaints = complaints.filter(selectors.overdue_filter(today))
    page = page_of(request, complaints.order_by("-received_at", "-pk"), PER_PAGE)
    for complaint in page:
        complaint.overdue = complaint.is_overdue(today)
    return render(
        request,
        "complaints/complaint_list.html",
        {
            "page_obj": page,
            "q": q,
            "step": step,
            "overdue": overdue,
            "today": today,
            "can_enter": selectors.can_enter(user),
            "can_import": selectors.can_import(user),
            "can_scores": selectors.can_read_scores(user),
        },
    )


def _detail(request, complaint, status=200, answer_form=None, verify_form=None):
    user = request.user
    today = _today()
    can_answer = (
        user.role == Role.FIRM
        and complaint.firm_id == user.firm_id
        and complaint.answered_at is None
    )
    can_verify = (
        user.role == Role.COMMUNITY
        and complaint.compound_id is not None
        and complaint.compound.community_id == user.community_id
        and complaint.answered_at is not None
        and complaint.verified_at is None
    )
    return render(
        request,
        "complaints/complaint_detail.html",
        {
            "complaint": complaint,
            "today": today,
            "answer_overdue": complaint.answer_overdue(today),
            "verify_overdue": complaint.verify_overdue(today),
            "can_answer": can_answer,
            "can_verify": can_verify,
            "answer_form": answer_form or AnswerForm(),
            "verify_form": verify_form or VerifyForm(),
            "history": complaint.history.select_related("history_user")[:20],
        },
        status=status,
    )


@login_required
def complaint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = selectors.complaint_get_for_user(user=request.user, pk=pk)
    if request.method != "POST":
        return _detail(request, complaint)
    action = request.POST.get("action")
    if action == "answer":
        form = AnswerForm(request.POST)
        if form.is_valid():
            try:
                services.complaint_answer(
                    user=request.user, complaint=complaint, answer=form.cleaned_data["answer"]
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Your answer was recorded."))
                return redirect("complaints:complaint_detail", pk=complaint.pk)
        return _detail(request, complaint, 400, answer_form=form)
    if action == "verify":
        form = VerifyForm(request.POST)
        if form.is_valid():
            try:
                services.complaint_verify(
                    user=request.user,
                    complaint=complaint,
                    verification=form.cleaned_data["verification"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Your verification was recorded."))
                return redirect("complaints:complaint_detail", pk=complaint.pk)
        return _detail(request, complaint, 400, verify_form=form)
    return _detail(request, complaint, 400)


@login_required
def complaint_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not selectors.can_enter(user):
        raise Http404
    form = ComplaintForm(request.POST or None, compounds=selectors.compounds_for_entry(user=user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            complaint = services.complaint_enter(
                user=user,
                compound=data["compound"],
                category=data["category"],
                text=data["text"],
                address=data["address"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The complaint was recorded and assigned."))
            return redirect("complaints:complaint_detail", pk=complaint.pk)
    return render(request, "complaints/complaint_form.html", {"form": form})


@login_required
def hotline_import(request: HttpRequest) -> HttpResponse:
    if not selectors.can_import(request.user):
        raise Http404
    return import_view(
        request,
        HotlineImporter(user=request.user),
        template_name="complaints/hotline_import.html",
        extra_context={
            "unmatched": selectors.unmatched_addresses(user=request.user).count(),
        },
    )


@login_required
def unmatched(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not selectors.can_import(user):
        raise Http404
    compounds = selectors.compounds_for_entry(user=user)
    form = None
    if request.method == "POST":
        form = MatchForm(request.POST, compounds=compounds)
        if form.is_valid():
            try:
                count = services.address_match(
                    user=user,
                    address=form.cleaned_data["address"],
                    compound=form.cleaned_data["compound"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Matched and remembered: %(count)d complaints assigned.") % {"count": count},
                )
                return redirect("complaints:unmatched")
    q = query_text(request, "q", max_length=100)
    rows = selectors.unmatched_addresses(user=user)
    if q:
        rows = rows.filter(address__icontains=q)
    page = page_of(request, rows, PER_PAGE)
    for row in page:
        row["form"] = MatchForm(
            initial={"address": row["address"]}, compounds=compounds, auto_id=False
        )
    return render(
        request,
        "complaints/unmatched.html",
        {"page_obj": page, "q": q, "error_form": form},
        status=400 if form is not None else 200,
    )


@login_required
def scores(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not selectors.can_read_scores(user):
        raise Http404
    year = query_int(request, "year", minimum=2000, maximum=2100) or selectors.latest_past_year(
        today=_today()
    )
    params = selectors.formula_of(year)
    formula_form = None
    if user.role == Role.BUREAU:
        formula_form = FormulaForm(request.POST or None, initial=params.__dict__)
        if request.method == "POST" and formula_form.is_valid():
            try:
                services.formula_save(user=user, year=year, **formula_form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(formula_form, exc)
            else:
                messages.success(request, _("The formula of %(year)d was saved.") % {"year": year})
                return redirect(f"{request.path}?year={year}")
    elif request.method == "POST":
        raise Http404
    q = query_text(request, "q", max_length=100)
    compounds = selectors.score_compounds(user=user, year=year)
    if q:
        compounds = compounds.filter(name__icontains=q)
    page = page_of(request, compounds, PER_PAGE)
    rows = selectors.score_rows(page.object_list, year=year, params=params)
    this_year = _today().year
    return render(
        request,
        "complaints/scores.html",
        {
            "page_obj": page,
            "rows": rows,
            "year": year,
            "params": params,
            "q": q,
            "years": sorted({year, *range(this_year, this_year - 4, -1)}, reverse=True),
            "formula_form": formula_form,
        },
        status=400 if request.method == "POST" else 200,
    )
