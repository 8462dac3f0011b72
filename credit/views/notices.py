"""Notice pages: the list and the notice with its rounds; the firm answers, the bureau (or the
delegated street) re-inspects, the bureau escalates a notice past its deadline (summons,
key-supervision list) and turns it into a deduction. Public: the key-supervision list and
the year's commended firms with the policy support that follows."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.params import page_of
from portal.scoping import is_bureau
from portal.web import (
    act_and_return,
    add_service_errors,
    bureau_required,
    visible_to,
)

from .. import rectification as services
from .. import selectors
from ..forms import NoticeFilterForm
from ..forms.notices import (
    DeductionForm,
    KeySupervisionForm,
    MinutesForm,
    NoticeAnswerForm,
    NoticeDelegateForm,
    NoticeEditForm,
    OverdueCloseForm,
    PolicyForm,
    ReinspectForm,
    SummonsForm,
)
from ..models import NoticeStatus, Summons

NOTICES_PER_PAGE = 50


# Signed in (else the login page); the bureau, the association, firms and street officers (else 404); each sees the notices of its scope.
notices_visible = visible_to(services.can_see_notices)


def _back(notice) -> HttpResponse:
    return redirect("credit:notice_detail", pk=notice.pk)


@notices_visible
def notice_list(request: HttpRequest) -> HttpResponse:
    form = NoticeFilterForm(request.GET or None)
    notices = selectors.notices_in_state(
        selectors.notices_for_user(user=request.user),
        state=form.cleaned_data["state"] if form.is_valid() else "",
        today=timezone.localdate(),
    )
    context = {
        "filter_form": form,
        "page_obj": page_of(request, notices, NOTICES_PER_PAGE),
        "can_manage": selectors.can_manage_credit(request.user),
    }
    return render(request, "credit/notice_list.html", context)


@notices_visible
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    notice = selectors.notice_get_for_user(user=request.user, pk=pk)
    user = request.user
    today = timezone.localdate()
    rectification = notice.is_rectification
    bureau = is_bureau(user)
    own_firm = user.role == "firm" and notice.firm_id == user.firm_id
    escalable = bureau and services.is_escalable(notice, today)
    context = {
        "notice": notice,
        "today": today,
        "past_deadline": notice.is_past_deadline(today),
        "rounds": services.notice_rounds(notice) if rectification else [],
        "summonses": services.notice_summonses(notice) if rectification else [],
        "key_supervision": services.notice_key_supervision(notice) if rectification else [],
        "policy": None if rectification else services.commendation_policy(notice.publication.year),
        "answer_form": (
            NoticeAnswerForm()
            if own_firm and rectification and notice.status in services.ANSWERABLE
            else None
        ),
        "edit_form": (
            NoticeEditForm(
                initial={
                    "findings": notice.findings,
                    "measures": notice.measures,
                    "deadline": notice.deadline,
                }
            )
            if bureau and rectification and notice.status == NoticeStatus.ISSUED
            else None
        ),
        "delegate_form": (
            NoticeDelegateForm(initial={"street": notice.delegated_street_id})
            if bureau and rectification and notice.is_open
            else None
        ),
        "reinspect_form": (
            ReinspectForm(initial={"deadline": notice.deadline})
            if rectification
            and notice.status == NoticeStatus.ANSWERED
            and services.can_reinspect(user, notice)
            else None
        ),
        "close_form": OverdueCloseForm() if escalable and notice.is_open else None,
        "summons_form": SummonsForm() if escalable else None,
        "minutes_form": MinutesForm() if bureau else None,
        "key_supervision_form": KeySupervisionForm() if escalable else None,
        "deduction_form": (
            DeductionForm() if escalable and not notice.deduction_event_id else None
        ),
        "now": timezone.now(),
        "can_see_events": selectors.can_read_ratings(user),
        "can_set_policy": bureau,
        "history": selectors.notice_history(notice),
    }
    return render(request, "credit/notice_detail.html", context)


@notices_visible
@require_POST
def notice_respond(request: HttpRequest, pk: int) -> HttpResponse:
    notice = selectors.notice_get_for_user(user=request.user, pk=pk)
    return act_and_return(
        request,
        NoticeAnswerForm(request.POST, request.FILES),
        lambda data: services.notice_respond(
            user=request.user,
            notice=notice,
            text=data["text"],
            files=data["files"],
        ),
        _("Your answer was sent."),
        _back(notice),
    )


@bureau_required
@require_POST
def notice_edit(request: HttpRequest, pk: int) -> HttpResponse:
    notice = selectors.notice_get_for_user(user=request.user, pk=pk)
    return act_and_return(
        request,
        NoticeEditForm(request.POST),
        lambda data: services.notice_edit(user=request.user, notice=notice, **data),
        _("The notice was saved."),
        _back(notice),
    )


@bureau_required
@require_POST
def notice_delegate(request: HttpRequest, pk: int) -> HttpResponse:
    notice = selectors.notice_get_for_user(user=request.user, pk=pk)
    return act_and_return(
        request,
        NoticeDelegateForm(request.POST),
        lambda data: services.notice_delegate(
            user=request.user, notice=notice, street=data["street"]
        ),
        _("The re-inspection was delegated."),
        _back(notice),
    )


@notices_visible
@require_POST
def notice_reinspect(request: HttpRequest, pk: int) -> HttpResponse:
    notice = selectors.notice_get_for_user(user=request.user, pk=pk)
    return act_and_return(
        request,
        ReinspectForm(request.POST),
        lambda data: services.notice_reinspect(user=request.user, notice=notice, **data),
        _("The re-inspection was recorded."),
        _back(notice),
    )


@bureau_required
@require_POST
def notice_close(request: HttpRequest, pk: int) -> HttpResponse:
    notice = selectors.notice_get_for_user(user=request.user, pk=pk)
    return act_and_return(
        request,
        OverdueCloseForm(request.POST),
        lambda data: services.notice_close(
            user=request.user, notice=notice, outcome=NoticeStatus.OVERDUE, note=data["note"]
        ),
        _("The notice was closed."),
        _back(notice),
    )


@bureau_required
@require_POST
def summons_create(request: HttpRequest, pk: int) -> HttpResponse:
    notice = selectors.notice_get_for_user(user=request.user, pk=pk)
    return act_and_return(
        request,
        SummonsForm(request.POST),
        lambda data: services.summons_schedule(user=request.user, notice=notice, **data),
        _("The firm was summoned."),
        _back(notice),
    )


@bureau_required
@require_POST
def summons_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    summons = get_object_or_404(Summons, pk=pk)
    return act_and_return(
        request,
        MinutesForm(request.POST),
        lambda data: services.summons_record_minutes(
            user=request.user, summons=summons, minutes=data["minutes"]
        ),
        _("The minutes were recorded."),
        _back(summons.notice),
    )


@bureau_required
@require_POST
def key_supervision_add(request: HttpRequest, pk: int) -> HttpResponse:
    notice = selectors.notice_get_for_user(user=request.user, pk=pk)
    return act_and_return(
        request,
        KeySupervisionForm(request.POST),
        lambda data: services.key_supervision_add(
            user=request.user, notice=notice, reason=data["reason"]
        ),
        _("The firm was put on the key-supervision list."),
        _back(notice),
    )


@bureau_required
@require_POST
def notice_deduct(request: HttpRequest, pk: int) -> HttpResponse:
    notice = selectors.notice_get_for_user(user=request.user, pk=pk)
    return act_and_return(
        request,
        DeductionForm(request.POST),
        lambda data: services.notice_convert_to_deduction(
            user=request.user, notice=notice, points=data["points"]
        ),
        _("The unfulfilled notice was recorded as a deduction."),
        _back(notice),
    )


# --- public pages (no sign-in) ---------------------------------------------------------------


def key_supervision_list(request: HttpRequest) -> HttpResponse:
    entries = services.key_supervision_current()
    return render(
        request, "credit/notice_key_supervision.html", {"page_obj": page_of(request, entries, 50)}
    )


def commendation_list(request: HttpRequest, year: int | None = None) -> HttpResponse:
    years = services.commendation_years()
    if year is None:
        year = years[0] if years else None
    elif year not in years:
        raise Http404
    context = {
        "year": year,
        "years": years,
        "notices": list(services.commendations_of(year)) if year else [],
        "policy": services.commendation_policy(year) if year else None,
    }
    return render(request, "credit/notice_commendations.html", context)


@bureau_required
def commendation_policy_edit(request: HttpRequest, year: int) -> HttpResponse:
    policy = services.commendation_policy(year)
    form = PolicyForm(request.POST or None, initial={"text": policy.text if policy else ""})
    if request.method == "POST" and form.is_valid():
        try:
            services.commendation_policy_set(
                user=request.user, year=year, text=form.cleaned_data["text"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The policy support was saved."))
            return redirect("credit:commendation_year", year=year)
    context = {
        "form": form,
        "year": year,
        "history": policy.history.select_related("history_user").order_by("-history_date")
        if policy
        else [],
    }
    return render(request, "credit/notice_policy_form.html", context)
