"""Ordinary use pages: filing, the vote, review and payments."""

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
from portal.params import query_choice
from portal.web import add_service_errors

from .. import selectors, services
from ..choices import APPLICANT_ROLES, OrdinaryStatus
from ..forms import AcceptForm, OrdinaryForm, ReviewForm, VoteForm
from .common import _error_message, _form_errors_message, _page


@login_required
def ordinary_list(request: HttpRequest) -> HttpResponse:
    applications = selectors.ordinaries_for_user(user=request.user)
    status = query_choice(request, "status", OrdinaryStatus.values)
    if status:
        applications = applications.filter(status=status)
    return render(
        request,
        "funds/ordinary_list.html",
        {
            "page_obj": _page(request, applications),
            "statuses": OrdinaryStatus.choices,
            "status": status,
            "can_file": request.user.role in APPLICANT_ROLES,
        },
    )


@login_required
def ordinary_create(request: HttpRequest) -> HttpResponse:
    if request.user.role not in APPLICANT_ROLES:
        raise PermissionDenied(_("Only a firm or an owners' committee applies for fund use."))
    compounds = selectors.compounds_for_applicant(user=request.user)
    form = OrdinaryForm(request.POST or None, compounds=compounds)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = services.ordinary_file(user=request.user, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The application is filed and its plan publicised."))
            return redirect("funds:ordinary_detail", pk=application.pk)
    return render(request, "funds/ordinary_form.html", {"form": form})


@login_required
def ordinary_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.ordinary_get_for_user(user=request.user, pk=pk)
    role, status = request.user.role, application.status
    vote = getattr(application, "vote", None) if status != OrdinaryStatus.PUBLICISED else None
    return render(
        request,
        "funds/ordinary_detail.html",
        {
            "application": application,
            "vote": vote,
            "first_payment": services.first_payment_amount(application),
            "postings": list(application.postings.all()),
            "notices": list(application.notices.all()),
            "history": list(application.history.select_related("history_user")[:30]),
            "publicity_over": timezone.localdate() > application.publicity_end,
            "can_vote": status == OrdinaryStatus.PUBLICISED and role in APPLICANT_ROLES,
            "can_review": status == OrdinaryStatus.VOTED and role == Role.BUREAU,
            "can_pay_first": status == OrdinaryStatus.APPROVED and role == Role.BUREAU,
            "can_accept": status == OrdinaryStatus.FIRST_PAID and role in APPLICANT_ROLES,
            "can_pay_final": status == OrdinaryStatus.ACCEPTED and role == Role.BUREAU,
            "vote_form": VoteForm(),
            "review_form": ReviewForm(),
            "accept_form": AcceptForm(),
        },
    )


@require_POST
@login_required
def ordinary_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    application = selectors.ordinary_get_for_user(user=request.user, pk=pk)
    user = request.user
    try:
        if action == "vote":
            form = VoteForm(request.POST)
            if not form.is_valid():
                _form_errors_message(request, form)
                return redirect("funds:ordinary_detail", pk=pk)
            vote = services.ordinary_record_vote(
                user=user, application=application, **form.cleaned_data
            )
            if vote.passed:
                messages.success(request, _("The vote is recorded: it passed (art. 278)."))
            else:
                messages.warning(
                    request, _("The vote is recorded: it failed.") + " " + vote.reasons
                )
        elif action == "review":
            form = ReviewForm(request.POST)
            if not form.is_valid():
                _form_errors_message(request, form)
                return redirect("funds:ordinary_detail", pk=pk)
            services.ordinary_review(
                user=user,
                application=application,
                approve=form.cleaned_data["decision"] == "approve",
                comment=form.cleaned_data["comment"],
            )
            messages.success(request, _("The review is recorded."))
        elif action == "pay-first":
            services.ordinary_pay_first(user=user, application=application)
            messages.success(request, _("The first payment is disbursed."))
        elif action == "accept":
            form = AcceptForm(request.POST)
            if not form.is_valid():
                _form_errors_message(request, form)
                return redirect("funds:ordinary_detail", pk=pk)
            services.ordinary_accept(
                user=user, application=application, final_cost=form.cleaned_data["final_cost"]
            )
            messages.success(request, _("The work is accepted."))
        elif action == "pay-final":
            services.ordinary_pay_final(user=user, application=application)
            messages.success(
                request, _("The final payment is disbursed and the result publicised.")
            )
        else:
            raise PermissionDenied
    except ValidationError as exc:
        _error_message(request, exc)
    return redirect("funds:ordinary_detail", pk=pk)
