"""Publication pages: the publicity notice with its objections (bureau, association, and each
firm for its own rating), published versions, notices, and the public red and black list."""

from __future__ import annotations

import csv
import hashlib
import io
import mimetypes
from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.web import add_service_errors, bureau_required

from . import publication as services
from . import selectors
from .forms_publication import (
    NoticeCloseForm,
    NoticeResponseForm,
    ObjectionAnswerForm,
    ObjectionForm,
    PublicationCreateForm,
    PublicationRunForm,
    PublishForm,
)
from .views import readers_only

NOTICES_PER_PAGE = 50
PUBLIC_CACHE_SECONDS = 24 * 3600


def publications_visible(view: Callable) -> Callable:
    """Signed in (else the login page); the bureau, the association and firms (else 404)."""

    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not selectors.can_see_publications(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _refusal(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


# --- the publicity notice --------------------------------------------------------------------


@publications_visible
def publication_list(request: HttpRequest) -> HttpResponse:
    context = {
        "publications": selectors.publications_for_user(user=request.user),
        "form": PublicationCreateForm() if selectors.can_manage_credit(request.user) else None,
    }
    return render(request, "credit/publication_list.html", context)


@bureau_required
def publication_create(request: HttpRequest) -> HttpResponse:
    form = PublicationCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            publication = services.publication_create(
                user=request.user, run=form.cleaned_data["run"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The publicity period has started."))
            return redirect("credit:publication_detail", pk=publication.pk)
    return render(request, "credit/publication_create.html", {"form": form})


@publications_visible
def publication_detail(request: HttpRequest, pk: int) -> HttpResponse:
    publication = selectors.publication_get_for_user(user=request.user, pk=pk)
    context = {
        "publication": publication,
        "in_period": services.in_period(publication),
        "versions": list(selectors.publication_versions(publication)),
    }
    if selectors.can_read_ratings(request.user):
        red, black = selectors.publication_proposed_lists(publication)
        objections = list(selectors.publication_objections(publication))
        context.update(
            red=red,
            black=black,
            objections=objections,
            pending=sum(o.is_pending for o in objections),
            can_manage=selectors.can_manage_credit(request.user),
            publish_form=PublishForm(),
            run_form=PublicationRunForm(year=publication.year, exclude_pk=publication.run_id),
            answer_form=ObjectionAnswerForm(),
        )
        template = "credit/publication_detail.html"
    else:
        context.update(
            own_rating=selectors.own_rating_in_publication(
                user=request.user, publication=publication
            ),
            objections=selectors.objections_for_user(user=request.user).filter(
                publication=publication
            ),
        )
        template = "credit/publication_firm.html"
    return render(request, template, context)


@bureau_required
@require_POST
def publication_publish(request: HttpRequest, pk: int) -> HttpResponse:
    publication = selectors.publication_get_for_user(user=request.user, pk=pk)
    form = PublishForm(request.POST)
    if form.is_valid():
        try:
            version = services.publication_publish(
                user=request.user,
                publication=publication,
                change_note=form.cleaned_data["change_note"],
            )
        except ValidationError as exc:
            _refusal(request, exc)
        else:
            messages.success(
                request, _("Version %(n)s of the lists is published.") % {"n": version.number}
            )
    return redirect("credit:publication_detail", pk=publication.pk)


@bureau_required
@require_POST
def publication_set_run(request: HttpRequest, pk: int) -> HttpResponse:
    publication = selectors.publication_get_for_user(user=request.user, pk=pk)
    form = PublicationRunForm(request.POST, year=publication.year, exclude_pk=publication.run_id)
    if form.is_valid():
        try:
            services.publication_set_run(
                user=request.user,
                publication=publication,
                run=form.cleaned_data["run"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            _refusal(request, exc)
        else:
            messages.success(request, _("The publication now shows the corrected run."))
    else:
        messages.error(request, _("Choose a finished rating run of this year."))
    return redirect("credit:publication_detail", pk=publication.pk)


@bureau_required
@require_POST
def notices_issue(request: HttpRequest, pk: int) -> HttpResponse:
    publication = selectors.publication_get_for_user(user=request.user, pk=pk)
    try:
        issued = services.notices_issue(user=request.user, publication=publication)
    except ValidationError as exc:
        _refusal(request, exc)
    else:
        messages.success(request, _("%(n)s notice(s) issued.") % {"n": issued})
    return redirect("credit:notice_list")


# --- objections ------------------------------------------------------------------------------


@publications_visible
def objection_create(request: HttpRequest, pk: int, rating_pk: int) -> HttpResponse:
    publication = selectors.publication_get_for_user(user=request.user, pk=pk)
    rating = selectors.objection_rating_get(
        user=request.user, publication=publication, rating_pk=rating_pk
    )
    form = ObjectionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            objection = services.objection_file(
                user=request.user,
                publication=publication,
                rating=rating,
                text=form.cleaned_data["text"],
                attachments=form.cleaned_data["attachments"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your objection was filed."))
            return redirect("credit:objection_detail", pk=objection.pk)
    context = {
        "form": form,
        "publication": publication,
        "rating": rating,
        "in_period": services.in_period(publication),
    }
    return render(request, "credit/objection_form.html", context)


@publications_visible
def objection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    objection = selectors.objection_get_for_user(user=request.user, pk=pk)
    context = {
        "objection": objection,
        "can_answer": objection.is_pending and selectors.can_manage_credit(request.user),
        "form": ObjectionAnswerForm(),
    }
    return render(request, "credit/objection_detail.html", context)


@bureau_required
def objection_answer(request: HttpRequest, pk: int) -> HttpResponse:
    objection = selectors.objection_get_for_user(user=request.user, pk=pk)
    form = ObjectionAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.objection_answer(
                user=request.user,
                objection=objection,
                accept=form.cleaned_data["decision"] == ObjectionAnswerForm.ACCEPT,
                answer=form.cleaned_data["answer"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The objection was answered."))
            return redirect("credit:publication_detail", pk=objection.publication_id)
    context = {"objection": objection, "can_answer": objection.is_pending, "form": form}
    return render(request, "credit/objection_detail.html", context)


def _file_response(field_file, name: str) -> FileResponse:
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(field_file.open("rb"), content_type=content_type, filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@publications_visible
def objection_attachment(request: HttpRequest, pk: int) -> FileResponse:
    attachment = selectors.objection_attachment_get_for_user(user=request.user, pk=pk)
    return _file_response(attachment.file, attachment.name)


# --- notices ---------------------------------------------------------------------------------


@publications_visible
def notice_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.notices_for_user(user=request.user), NOTICES_PER_PAGE)
    context = {
        "page_obj": page.get_page(request.GET.get("page")),
        "can_manage": selectors.can_manage_credit(request.user),
    }
    return render(request, "credit/notice_list.html", context)


@publications_visible
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    notice = selectors.notice_get_for_user(user=request.user, pk=pk)
    is_own_firm = request.user.role == "firm" and notice.firm_id == request.user.firm_id
    context = {
        "notice": notice,
        "response_form": (
            NoticeResponseForm()
            if is_own_firm and notice.is_rectification and notice.is_open
            else None
        ),
        "close_form": (
            NoticeCloseForm()
            if selectors.can_manage_credit(request.user)
            and notice.is_rectification
            and notice.is_open
            else None
        ),
        "today": timezone.localdate(),
    }
    return render(request, "credit/notice_detail.html", context)


@publications_visible
@require_POST
def notice_respond(request: HttpRequest, pk: int) -> HttpResponse:
    notice = selectors.notice_get_for_user(user=request.user, pk=pk)
    form = NoticeResponseForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.notice_respond(
                user=request.user,
                notice=notice,
                text=form.cleaned_data["text"],
                file=form.cleaned_data["file"],
            )
        except ValidationError as exc:
            _refusal(request, exc)
        else:
            messages.success(request, _("Your answer was sent."))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("credit:notice_detail", pk=notice.pk)


@bureau_required
@require_POST
def notice_close(request: HttpRequest, pk: int) -> HttpResponse:
    notice = selectors.notice_get_for_user(user=request.user, pk=pk)
    form = NoticeCloseForm(request.POST)
    if form.is_valid():
        try:
            services.notice_close(
                user=request.user,
                notice=notice,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            _refusal(request, exc)
        else:
            messages.success(request, _("The notice was closed."))
    else:
        messages.error(request, _("Choose rectified or overdue."))
    return redirect("credit:notice_detail", pk=notice.pk)


@publications_visible
def notice_file(request: HttpRequest, pk: int) -> FileResponse:
    notice = selectors.notice_get_for_user(user=request.user, pk=pk)
    if not notice.response_file:
        raise Http404
    return _file_response(notice.response_file, notice.response_file.name.rsplit("/", 1)[-1])


@readers_only
def spot_check_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.spot_check_firms(), NOTICES_PER_PAGE)
    return render(
        request,
        "credit/notice_spot_checks.html",
        {"page_obj": page.get_page(request.GET.get("page"))},
    )


# --- the run's ratings as a spreadsheet ------------------------------------------------------


@readers_only
def run_export_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    from openpyxl import Workbook

    run = selectors.rating_run_get_for_user(user=request.user, pk=pk)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(run.year))
    sheet.append(list(selectors.EXPORT_COLUMNS))
    for row in selectors.export_rows(run):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={
            "Content-Disposition": f'attachment; filename="ratings-{run.year}-run{run.pk}.xlsx"'
        },
    )


# --- public pages (no sign-in) ---------------------------------------------------------------


def _lists_html(version) -> str:
    """The rendered red and black lists of a version, cached per version and language: a
    published version never changes, so the cache needs no invalidation."""
    key = f"credit:redblack:{version.pk}:{get_language()}"
    html = cache.get(key)
    if html is None:
        data = selectors.version_content(pk=version.pk)
        html = render_to_string("credit/redblack_lists.html", {"data": data})
        cache.set(key, html, PUBLIC_CACHE_SECONDS)
    return html


def _redblack(request: HttpRequest, *, year: int | None, number: int | None) -> HttpResponse:
    versions = selectors.published_versions()
    if year is None and versions:
        year = versions[0].publication.year
    of_year = [v for v in versions if v.publication.year == year]
    if year is not None and not of_year:
        raise Http404(_("Nothing is published for this year."))
    shown = of_year[0] if of_year and number is None else None
    if number is not None:
        shown = next((v for v in of_year if v.number == number), None)
        if shown is None:
            raise Http404(_("No such version."))
    context = {
        "year": year,
        "version": shown,
        "is_latest": bool(of_year) and shown is of_year[0],
        "versions_of_year": of_year,
        "years": sorted({v.publication.year for v in versions}, reverse=True),
        "lists_html": mark_safe(_lists_html(shown)) if shown else "",  # noqa: S308 — our template
    }
    if request.user.is_authenticated or request.GET or len(messages.get_messages(request)):
        return render(request, "credit/redblack_list.html", context)
    return HttpResponse(_anonymous_page(request, versions, context))


# Stands for the CSRF token of the footer's language form in a cached page (alphanumeric: the
# csrf_token tag escapes it unchanged); each response gets its own token in its place.
_CSRF_PLACEHOLDER = "csrfplaceholder0f3c9a7e1d2b4c6a8e0f1d3b5c7a9e2f4"


def _anonymous_page(request: HttpRequest, versions, context: dict) -> str:
    """The whole page as an anonymous visitor without messages sees it, cached per set of
    published versions, language and address: rendering the layout costs more than the rest
    of the request. The CSRF token is put in per response."""
    pks = ",".join(str(v.pk) for v in versions)
    digest = hashlib.sha256(f"{pks}|{request.path}".encode()).hexdigest()[:32]
    key = f"credit:redblack:page:{digest}:{get_language()}"
    page = cache.get(key)
    if page is None:
        page = render_to_string(
            "credit/redblack_list.html", context | {"csrf_token": _CSRF_PLACEHOLDER}, request
        )
        cache.set(key, page, PUBLIC_CACHE_SECONDS)
    return page.replace(_CSRF_PLACEHOLDER, get_token(request))


def redblack_current(request: HttpRequest) -> HttpResponse:
    return _redblack(request, year=None, number=None)


def redblack_year(request: HttpRequest, year: int) -> HttpResponse:
    return _redblack(request, year=year, number=None)


def redblack_version(request: HttpRequest, year: int, number: int) -> HttpResponse:
    return _redblack(request, year=year, number=number)


def _version_of(year: int, number: int | None):
    of_year = [v for v in selectors.published_versions() if v.publication.year == year]
    if number is not None:
        of_year = [v for v in of_year if v.number == number]
    if not of_year:
        raise Http404(_("Nothing is published for this year."))
    return of_year[0]


def redblack_json(request: HttpRequest, year: int, number: int | None = None) -> HttpResponse:
    """The frozen content, byte for byte: its SHA-256 is the digest shown on the page."""
    version = _version_of(year, number)
    body = selectors.version_content_text(pk=version.pk).encode("utf-8")
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="redblack-{year}-v{version.number}.json"'
    response["X-Content-SHA256"] = version.digest
    return response


CSV_COLUMNS = ("list", "rank", "credit_code", "name", "score", "grade", "vetoed", "compounds")


def redblack_csv(request: HttpRequest, year: int, number: int | None = None) -> HttpResponse:
    """The same lists as CSV, derived from the frozen JSON (UTF-8 with a BOM for Excel)."""
    version = _version_of(year, number)
    data = selectors.version_content(pk=version.pk)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for list_name, key in (("red", "red_list"), ("black", "black_list")):
        for row in data[key]:
            writer.writerow(
                [
                    list_name,
                    row["rank"] if row["rank"] is not None else "",
                    row["credit_code"],
                    row["name"],
                    row["score"] or "",
                    row["grade"],
                    "1" if row["vetoed"] else "0",
                    row["compounds"],
                ]
            )
    response = HttpResponse(
        ("\ufeff" + out.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="redblack-{year}-v{version.number}.csv"'
    )
    return response
