"""Fund pages: accounts and ledgers, emergency and ordinary use, public notices."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.choices import Role
from portal.scoping import is_bureau
from portal.web import add_service_errors

from . import selectors, services
from .choices import EMERGENCY_WAITING, EmergencyStatus, OrdinaryStatus
from .forms import (
    AcceptForm,
    ApproveForm,
    DepositForm,
    EmergencyForm,
    InterestForm,
    NoticeSearchForm,
    OrdinaryForm,
    RejectForm,
    ReviewForm,
    VoteForm,
)
from .models import Posting

PER_PAGE = 50
APPLICANT_ROLES = (Role.FIRM, Role.OWNERS_COMMITTEE)


def _page(request: HttpRequest, queryset, per_page: int = PER_PAGE):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def _error_message(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _form_errors_message(request: HttpRequest, form: Form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


def _require_bureau(request: HttpRequest) -> None:
    if not is_bureau(request.user):
        raise PermissionDenied(_("Only bureau staff may do this."))


# ---------------------------------------------------------------- accounts


@login_required
def account_list(request: HttpRequest) -> HttpResponse:
    accounts = selectors.accounts_for_user(user=request.user)
    q = request.GET.get("q", "").strip()
    if q:
        accounts = accounts.filter(Q(compound__name__icontains=q) | Q(compound__code__iexact=q))
    if request.GET.get("low"):
        accounts = accounts.filter(low=True)
    return render(
        request,
        "funds/account_list.html",
        {"page_obj": _page(request, accounts), "q": q, "low": bool(request.GET.get("low"))},
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


# ---------------------------------------------------------------- emergency use


@login_required
def emergency_list(request: HttpRequest) -> HttpResponse:
    applications = selectors.emergencies_for_user(user=request.user)
    status = request.GET.get("status", "")
    if status in EmergencyStatus.values:
        applications = applications.filter(status=status)
    if request.GET.get("overdue"):
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
            "waiting": application.status in EMERGENCY_WAITING,
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
            services.emergency_reject(
                user=request.user, application=application, reason=request.POST.get("reason", "")
            )
        else:
            services.emergency_complete(user=request.user, application=application)
    except ValidationError as exc:
        _error_message(request, exc)
    else:
        messages.success(request, done[action])
    return redirect("funds:emergency_detail", pk=pk)


# ---------------------------------------------------------------- ordinary use


@login_required
def ordinary_list(request: HttpRequest) -> HttpResponse:
    applications = selectors.ordinaries_for_user(user=request.user)
    status = request.GET.get("status", "")
    if status in OrdinaryStatus.values:
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


# ---------------------------------------------------------------- public notices


def notice_list(request: HttpRequest) -> HttpResponse:
    form = NoticeSearchForm(request.GET or None)
    q = form.cleaned_data["q"].strip() if form.is_valid() else ""
    notices = selectors.notices_public(q=q, compound_code=request.GET.get("compound", ""))
    return render(
        request,
        "funds/notice_list.html",
        {"form": form, "q": q, "page_obj": _page(request, notices, per_page=20)},
    )


def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    notice = selectors.notice_get_public(pk=pk)
    return render(
        request,
        "funds/notice_detail.html",
        {"notice": notice, "today": timezone.localdate()},
    )
