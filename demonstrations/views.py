"""The demonstration pages: the applications (list, new, one with the action its reader may
take next) and the public list of a year's approved projects."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from portal.choices import Role
from portal.params import page_of
from portal.scoping import is_bureau
from portal.web import add_service_errors

from . import selectors, services
from .choices import BONUS_POINTS, STANDARDS, State
from .forms import ApplicationForm, DecideForm, FilterForm, RecommendForm, ResubmitForm

PER_PAGE = 25


def _reader(request: HttpRequest) -> None:
    if not selectors.can_read(request.user):
        raise Http404


@login_required
@require_GET
def application_list(request: HttpRequest) -> HttpResponse:
    _reader(request)
    user = request.user
    search = FilterForm(request.GET or None)
    rows = selectors.applications_for_user(user=user)
    if search.is_valid():
        data = search.cleaned_data
        if data["state"]:
            rows = rows.filter(state=data["state"])
        if data["year"]:
            rows = rows.filter(year=data["year"])
        if data["q"]:
            rows = rows.filter(Q(compound__name__icontains=data["q"]) | Q(compound__code=data["q"]))
    if request.GET.get("todo"):
        waiting = selectors.waiting_for(user)
        rows = rows.filter(waiting) if waiting is not None else rows.none()
    page = page_of(request, rows.order_by("-submitted_at", "-pk"), PER_PAGE)
    today = timezone.localdate()
    for row in page:
        row.overdue = row.is_overdue(today)
    return render(
        request,
        "demonstrations/application_list.html",
        {"page_obj": page, "search": search, "can_apply": selectors.can_apply(user)},
    )


@login_required
def application_create(request: HttpRequest) -> HttpResponse:
    if not selectors.can_apply(request.user):
        raise Http404
    form = ApplicationForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = services.application_submit(
                user=request.user,
                compound=data["compound"],
                year=data["year"],
                party_org=data["party_org"],
                standards=data["standards"],
                satisfaction=data["satisfaction"],
                description=data["description"],
                files=data["files"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The application was sent to the community."))
            return redirect("demonstrations:application_detail", pk=application.pk)
    return render(request, "demonstrations/application_form.html", {"form": form})


def _detail(request: HttpRequest, application, status: int = 200, **forms) -> HttpResponse:
    user = request.user
    compound = application.compound
    state = application.state
    context = {
        "application": application,
        "overdue": application.is_overdue(timezone.localdate()),
        "standards": [(label, key in application.standards) for key, label in STANDARDS],
        "files": list(application.files.all()),
        "history": application.history.select_related("history_user")[:30],
        "can_community": user.role == Role.COMMUNITY
        and user.community_id == compound.community_id
        and state == State.SUBMITTED,
        "can_street": user.role == Role.STREET
        and user.street_id == compound.community.street_id
        and state == State.COMMUNITY_OK,
        "can_decide": user.role == Role.BUREAU and state == State.STREET_OK,
        "can_resubmit": user.role == Role.FIRM
        and user.firm_id == application.firm_id
        and state == State.RETURNED,
        "credit_visible": user.role in (Role.BUREAU, Role.FIRM),
        "bonus_points": BONUS_POINTS,
        "recommend_form": forms.get("recommend_form") or RecommendForm(),
        "decide_form": forms.get("decide_form") or DecideForm(),
        "resubmit_form": forms.get("resubmit_form")
        or ResubmitForm(
            initial={
                "description": application.description,
                "satisfaction": application.satisfaction,
            }
        ),
    }
    return render(request, "demonstrations/application_detail.html", context, status=status)


@login_required
@require_GET
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _reader(request)
    return _detail(request, selectors.application_detail_for_user(user=request.user, pk=pk))


def _act(request: HttpRequest, pk: int, form, name: str, action, done: str) -> HttpResponse:
    """On a valid form call the service; a refusal shows on the form, nothing written."""
    _reader(request)
    application = selectors.application_detail_for_user(user=request.user, pk=pk)
    if form.is_valid():
        try:
            action(application, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("demonstrations:application_detail", pk=application.pk)
    return _detail(request, application, **{name: form})


@login_required
@require_POST
def community_answer(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        RecommendForm(request.POST),
        "recommend_form",
        lambda application, data: services.community_recommend(
            user=request.user,
            application=application,
            recommend=data["recommend"],
            note=data["note"],
        ),
        _("Your answer was recorded."),
    )


@login_required
@require_POST
def street_answer(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        RecommendForm(request.POST),
        "recommend_form",
        lambda application, data: services.street_recommend(
            user=request.user,
            application=application,
            recommend=data["recommend"],
            note=data["note"],
        ),
        _("Your answer was recorded."),
    )


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        DecideForm(request.POST),
        "decide_form",
        lambda application, data: services.application_decide(
            user=request.user,
            application=application,
            approve=data["approve"],
            note=data["note"],
            bonus=data["bonus"],
        ),
        _("The decision was recorded."),
    )


@login_required
@require_POST
def resubmit(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        ResubmitForm(request.POST, request.FILES),
        "resubmit_form",
        lambda application, data: services.application_resubmit(
            user=request.user,
            application=application,
            description=data["description"],
            satisfaction=data["satisfaction"],
            files=data["files"],
        ),
        _("The application was sent to the community again."),
    )


@require_GET
def public_list(request: HttpRequest, year: int | None = None) -> HttpResponse:
    """The year's approved 红心物业 demonstration projects once the bureau has published the
    year's list, for everyone (this year's by default)."""
    current = timezone.localdate().year
    year = current if year is None else year
    if not 2000 <= year <= 2100:
        raise Http404
    publication = selectors.publication_of(year=year)
    rows = selectors.approved_of_year(year=year) if publication else []
    page = page_of(request, rows, 50)
    years = [y for y in selectors.published_years() if y != year]
    can_publish = (
        is_bureau(request.user)
        and publication is None
        and selectors.approved_of_year(year=year).exists()
    )
    return render(
        request,
        "demonstrations/public_list.html",
        {
            "page_obj": page,
            "year": year,
            "years": years,
            "publication": publication,
            "can_publish": can_publish,
        },
    )


@login_required
@require_POST
def publish(request: HttpRequest, year: int) -> HttpResponse:
    if not is_bureau(request.user):
        raise Http404
    try:
        services.list_publish(user=request.user, year=year)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The list is published."))
    return redirect("demonstrations:public_year", year=year)
