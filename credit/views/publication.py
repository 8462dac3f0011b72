"""Publication pages: the publicity notice with its objections (bureau, association, and each
firm for its own rating), published versions, notices, and the run's ratings as a spreadsheet.
The public red and black list is in `redblack`."""

from __future__ import annotations

import itertools

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.exports import xlsx_response
from portal.params import page_of
from portal.web import add_service_errors, bureau_required, refusal_messages, visible_to

from .. import publication as services
from .. import selectors
from ..forms import (
    ObjectionAnswerForm,
    ObjectionForm,
    PublicationCreateForm,
    PublicationRunForm,
    PublishForm,
)
from .common import readers_only

NOTICES_PER_PAGE = 50


# Signed in (else the login page); the bureau, the association and firms (else 404).
publications_visible = visible_to(selectors.can_see_publications)


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
            refusal_messages(request, exc)
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
            refusal_messages(request, exc)
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
        refusal_messages(request, exc)
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


# --- notices: credit/views/notices.py; the firms spot-checked more often ------------------


@readers_only
def spot_check_list(request: HttpRequest) -> HttpResponse:
    page = page_of(request, selectors.spot_check_firms(), NOTICES_PER_PAGE)
    return render(request, "credit/notice_spot_checks.html", {"page_obj": page})


# --- the run's ratings as a spreadsheet ------------------------------------------------------


@readers_only
def run_export_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    run = selectors.rating_run_get_for_user(user=request.user, pk=pk)
    return xlsx_response(
        itertools.chain([selectors.EXPORT_COLUMNS], selectors.export_rows(run)),
        filename=f"ratings-{run.year}-run{run.pk}.xlsx",
        sheet_title=str(run.year),
    )
