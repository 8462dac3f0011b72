"""The training pages: the sessions (search by topic, paginated), a session with its
materials and attendance (printable), the bureau's edits, the attendance checklist (phone
first) and this year's missing streets and communities."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from portal.choices import Role
from portal.params import page_of, query_year
from portal.web import add_service_errors

from . import selectors, services
from .forms import (
    AttendanceForm,
    FirmAttendanceForm,
    MaterialForm,
    SessionForm,
    SessionSearchForm,
)

SESSIONS_PER_PAGE = 20


def _require(allowed: bool) -> None:
    if not allowed:
        raise Http404


@login_required
@require_GET
def session_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    _require(selectors.can_read_training(user))
    search = SessionSearchForm(request.GET or None)
    sessions = selectors.sessions_for_user(user=user)
    if search.is_valid():
        sessions = selectors.session_search(sessions, search.cleaned_data["q"].strip())
        if search.cleaned_data["year"]:
            sessions = sessions.filter(date__year=search.cleaned_data["year"])
    page = page_of(request, sessions.order_by("-date", "-pk"), SESSIONS_PER_PAGE)
    attended = selectors.firm_attended_ids(user=user, sessions=page.object_list)
    for session in page:
        session.firm_attended = session.pk in attended
    return render(
        request,
        "training/session_list.html",
        {
            "page_obj": page,
            "search": search,
            "is_firm": user.role == Role.FIRM,
            "can_edit": selectors.can_edit_sessions(user),
            "can_coverage": selectors.can_read_coverage(user),
        },
    )


@login_required
def session_create(request: HttpRequest) -> HttpResponse:
    _require(selectors.can_edit_sessions(request.user))
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_save(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The training session was saved."))
            return redirect("training:session_detail", pk=session.pk)
    return render(request, "training/session_form.html", {"form": form})


@login_required
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require(selectors.can_edit_sessions(request.user))
    session = selectors.session_get_for_user(user=request.user, pk=pk)
    initial = {
        name: getattr(session, name)
        for name in ("topic", "date", "organiser", "place", "description")
    }
    form = SessionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_save(user=request.user, session=session, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The training session was saved."))
            return redirect("training:session_detail", pk=session.pk)
    return render(request, "training/session_form.html", {"form": form, "session": session})


def _detail(request: HttpRequest, session, status: int = 200, **forms) -> HttpResponse:
    user = request.user
    attendances = selectors.attendances_for_user(user=user, session=session)
    bureau = selectors.can_edit_sessions(user)
    context = {
        "session": session,
        "materials": list(session.materials.all()),
        "streets": [a for a in attendances if a.street_id],
        "communities": [a for a in attendances if a.community_id],
        "firms": [a for a in attendances if a.firm_id],
        "sees_attendance": user.role in (Role.BUREAU, Role.STREET, Role.COMMUNITY, Role.FIRM),
        "is_firm": user.role == Role.FIRM,
        "can_edit": bureau,
        "can_record": selectors.can_record_attendance(user),
        "material_form": forms.get("material_form") or (MaterialForm() if bureau else None),
        "firm_form": forms.get("firm_form") or (FirmAttendanceForm(user=user) if bureau else None),
        "history": session.history.select_related("history_user")[:20] if bureau else [],
    }
    return render(request, "training/session_detail.html", context, status=status)


@login_required
@require_GET
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_get_for_user(user=request.user, pk=pk)
    return _detail(request, session)


@login_required
@require_POST
def material_add(request: HttpRequest, pk: int) -> HttpResponse:
    _require(selectors.can_edit_sessions(request.user))
    session = selectors.session_get_for_user(user=request.user, pk=pk)
    form = MaterialForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.material_add(user=request.user, session=session, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The material was added."))
            return redirect("training:session_detail", pk=session.pk)
    return _detail(request, session, status=400, material_form=form)


@login_required
@require_POST
def firm_add(request: HttpRequest, pk: int) -> HttpResponse:
    _require(selectors.can_edit_sessions(request.user))
    session = selectors.session_get_for_user(user=request.user, pk=pk)
    form = FirmAttendanceForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.firm_attendance_add(
                user=request.user, session=session, firm=form.cleaned_data["firm"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The firm's attendance was recorded."))
            return redirect("training:session_detail", pk=session.pk)
    return _detail(request, session, status=400, firm_form=form)


@login_required
@require_POST
def firm_remove(request: HttpRequest, pk: int, firm_pk: int) -> HttpResponse:
    _require(selectors.can_edit_sessions(request.user))
    session = selectors.session_get_for_user(user=request.user, pk=pk)
    attendance = session.attendances.filter(firm_id=firm_pk).select_related("firm").first()
    if attendance is None:
        raise Http404
    services.firm_attendance_remove(user=request.user, session=session, firm=attendance.firm)
    messages.success(request, _("The firm's attendance was removed."))
    return redirect("training:session_detail", pk=session.pk)


@login_required
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """The checklist of streets and communities (a street officer: their own), to tick on a
    phone at the door; a search box narrows the list as one types."""
    user = request.user
    _require(selectors.can_record_attendance(user))
    session = selectors.session_get_for_user(user=user, pk=pk)
    streets = list(selectors.streets_recordable(user).order_by("district__name", "name"))
    communities = list(selectors.communities_recordable(user).order_by("name"))
    present = session.attendances.filter(firm__isnull=True).values_list("street_id", "community_id")
    form = AttendanceForm(request.POST or None, user=user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                added, removed = services.attendance_record(
                    user=user,
                    session=session,
                    streets=form.cleaned_data["streets"],
                    communities=form.cleaned_data["communities"],
                    offered_streets=streets,
                    offered_communities=communities,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Attendance saved: %(added)d added, %(removed)d removed.")
                    % {"added": added, "removed": removed},
                )
                return redirect("training:session_detail", pk=session.pk)
        status = 400
    street_ids = {s for s, _c in present if s}
    community_ids = {c for _s, c in present if c}
    by_street: dict[int, list] = {}
    for community in communities:
        community.checked = community.pk in community_ids
        by_street.setdefault(community.street_id, []).append(community)
    for street in streets:
        street.checked = street.pk in street_ids
        street.checklist = by_street.get(street.pk, [])
    return render(
        request,
        "training/attendance_form.html",
        {"session": session, "streets": streets, "form": form},
        status=status,
    )


@login_required
@require_GET
def missing(request: HttpRequest) -> HttpResponse:
    """The streets and communities that attended no session of the year, by district and
    street (a street officer: their own)."""
    user = request.user
    _require(selectors.can_read_coverage(user))
    year = query_year(request) or timezone.localdate().year
    rows = selectors.missing_for_user(user=user, year=year)
    figures = selectors.coverage(year=year) if user.role == Role.BUREAU else None
    return render(
        request,
        "training/missing.html",
        {"rows": rows, "year": year, "figures": figures},
    )
