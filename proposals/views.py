"""Proposal pages: staff handling (bureau only) and the public disclosure of replies."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.imports import import_view
from portal.params import page_of
from portal.ratelimits import rate_limit

from . import pdf, selectors, services
from .choices import ProposalState
from .facts import facts_snapshot
from .forms import (
    AssignForm,
    CoInputForm,
    ExtendForm,
    FeedbackForm,
    PointFormSet,
    ProposalForm,
    ProposalSearchForm,
    ProposerFormSet,
    PublicSearchForm,
    PublishForm,
    ReasonForm,
    ReplyForm,
    SectionForm,
    SignOffForm,
)
from .imports import ProposalImporter
from .models import CoHandler, RegisterSettings

PER_PAGE = 30
S = ProposalState


def staff_required(view: Callable) -> Callable:
    """Signed in (else the login page) and bureau staff (else 403)."""

    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not selectors.can_handle_proposals(request.user):
            raise PermissionDenied(_("Only bureau staff handle proposals."))
        return view(request, *args, **kwargs)

    return wrapper


def _report(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _form_errors(request: HttpRequest, form: Form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


# Staff: list, intake, detail -----------------------------------------------------------


@staff_required
def proposal_list(request: HttpRequest) -> HttpResponse:
    search = ProposalSearchForm(request.GET or None)
    filters = search.cleaned_data if search.is_valid() else {}
    proposals = selectors.proposals_for_user(
        user=request.user,
        q=filters.get("q", ""),
        state=filters.get("state", ""),
        kind=filters.get("kind", ""),
        year=filters.get("year"),
        waiting=filters.get("waiting", ""),
    )
    page = page_of(request, proposals, PER_PAGE)
    return render(request, "proposals/proposal_list.html", {"search": search, "page_obj": page})


@staff_required
def proposal_create(request: HttpRequest) -> HttpResponse:
    form = ProposalForm(request.POST or None)
    proposers = ProposerFormSet(request.POST or None, prefix="proposers")
    points = PointFormSet(request.POST or None, prefix="points")
    if request.method == "POST" and form.is_valid() and proposers.is_valid() and points.is_valid():
        try:
            proposal = services.proposal_create(
                user=request.user,
                **form.cleaned_data,
                proposers=[f.cleaned_data for f in proposers if f.cleaned_data],
                points=[f.cleaned_data for f in points if f.cleaned_data],
            )
        except ValidationError as exc:
            _report(request, exc)
        else:
            messages.success(request, _("Proposal registered."))
            return redirect("proposals:proposal_detail", pk=proposal.pk)
    return render(
        request,
        "proposals/proposal_form.html",
        {"form": form, "proposers": proposers, "points": points},
    )


@staff_required
def proposal_import(request: HttpRequest) -> HttpResponse:
    """Upload a spreadsheet of proposals, preview what it does, confirm (all or nothing)."""
    return import_view(
        request,
        ProposalImporter(user=request.user),
        template_name="proposals/proposal_import.html",
    )


@staff_required
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = selectors.proposal_get_for_user(user=request.user, pk=pk)
    replies = list(proposal.replies.all())
    reply = replies[-1] if replies else None
    history = selectors.proposal_history(proposal)
    context = {
        "proposal": proposal,
        "reply": reply,
        "replies": replies,
        "history": history,
        "can_sign_off": services.can_sign_off(request.user, proposal),
        "problems": services.reply_problems(reply) if reply and not reply.is_signed_off else [],
        "assign_form": AssignForm(),
        "reason_form": ReasonForm(),
        # Its own ids: the return and send-back forms on the same page also have a "reason".
        "extend_form": ExtendForm(auto_id="id_extend_%s"),
        "feedback_form": FeedbackForm(),
        "publish_form": PublishForm(),
        "sign_off_form": SignOffForm(
            initial={
                "contact_name": proposal.lead_division.contact_name
                if proposal.lead_division
                else "",
                "contact_phone": proposal.lead_division.contact_phone
                if proposal.lead_division
                else "",
            }
        ),
    }
    return render(request, "proposals/proposal_detail.html", context)


def _action(
    request: HttpRequest,
    pk: int,
    form_class: type[Form] | None,
    act: Callable[..., object],
    success: str,
) -> HttpResponse:
    """Bind the action's form, call the service, report its refusal, back to the proposal."""
    proposal = selectors.proposal_get_for_user(user=request.user, pk=pk)
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        _form_errors(request, form)
    else:
        try:
            act(proposal, form.cleaned_data if form else {})
        except ValidationError as exc:
            _report(request, exc)
        else:
            messages.success(request, success)
    return redirect("proposals:proposal_detail", pk=pk)


@require_POST
@staff_required
def proposal_assign(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(
        request,
        pk,
        AssignForm,
        lambda p, d: services.proposal_assign(user=request.user, proposal=p, **d),
        _("Proposal assigned."),
    )


@require_POST
@staff_required
def proposal_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(
        request,
        pk,
        ReasonForm,
        lambda p, d: services.proposal_return(user=request.user, proposal=p, **d),
        _("Proposal returned for reassignment."),
    )


@require_POST
@staff_required
def proposal_extend(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(
        request,
        pk,
        ExtendForm,
        lambda p, d: services.proposal_extend(user=request.user, proposal=p, **d),
        _("Reply deadline extended."),
    )


@require_POST
@staff_required
def co_input(request: HttpRequest, pk: int, co_pk: int) -> HttpResponse:
    co = get_object_or_404(CoHandler, pk=co_pk, proposal_id=pk)
    return _action(
        request,
        pk,
        CoInputForm,
        lambda p, d: services.co_input_record(user=request.user, co_handler=co, **d),
        _("Input recorded."),
    )


@require_POST
@staff_required
def reply_start(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = selectors.proposal_get_for_user(user=request.user, pk=pk)
    try:
        services.reply_start(user=request.user, proposal=proposal)
    except ValidationError as exc:
        _report(request, exc)
        return redirect("proposals:proposal_detail", pk=pk)
    return redirect("proposals:reply_edit", pk=pk)


def _latest_reply_action(request, pk, form_class, call, success) -> HttpResponse:
    reply = selectors.reply_get_for_user(user=request.user, proposal_pk=pk)
    return _action(request, pk, form_class, lambda p, d: call(reply, d), success)


@require_POST
@staff_required
def reply_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _latest_reply_action(
        request,
        pk,
        None,
        lambda r, d: services.reply_submit(user=request.user, reply=r),
        _("Reply sent for review."),
    )


@require_POST
@staff_required
def reply_send_back(request: HttpRequest, pk: int) -> HttpResponse:
    return _latest_reply_action(
        request,
        pk,
        ReasonForm,
        lambda r, d: services.reply_send_back(user=request.user, reply=r, **d),
        _("Reply sent back for changes."),
    )


@require_POST
@staff_required
def reply_sign_off(request: HttpRequest, pk: int) -> HttpResponse:
    return _latest_reply_action(
        request,
        pk,
        SignOffForm,
        lambda r, d: services.reply_sign_off(user=request.user, reply=r, **d),
        _("Reply signed off; register numbers assigned."),
    )


@require_POST
@staff_required
def reply_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _latest_reply_action(
        request,
        pk,
        PublishForm,
        lambda r, d: services.reply_publish(user=request.user, reply=r, **d),
        _("Reply published."),
    )


@require_POST
@staff_required
def feedback_record(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(
        request,
        pk,
        FeedbackForm,
        lambda p, d: services.feedback_record(user=request.user, proposal=p, **d),
        _("Feedback recorded."),
    )


@require_POST
@staff_required
def proposal_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(
        request,
        pk,
        None,
        lambda p, d: services.proposal_close(user=request.user, proposal=p),
        _("Proposal closed."),
    )


# Staff: the reply draft ----------------------------------------------------------------


@staff_required
def reply_edit(request: HttpRequest, pk: int) -> HttpResponse:
    reply = selectors.reply_get_for_user(user=request.user, proposal_pk=pk)
    proposal = reply.proposal
    editable = proposal.state == S.DRAFTING and not reply.is_signed_off
    data = request.POST if request.method == "POST" and editable else None
    form = ReplyForm(
        data,
        initial={
            "salutation": reply.salutation,
            "opening": reply.opening,
            "closing": reply.closing,
            "overall_category": reply.overall_category,
        },
    )
    sections = [
        (s, SectionForm(data, instance=s, prefix=f"s{s.point_id}")) for s in reply.sections.all()
    ]
    if data is not None and form.is_valid() and all(f.is_valid() for _s, f in sections):
        try:
            services.reply_save(
                user=request.user,
                reply=reply,
                sections={s.point_id: f.cleaned_data for s, f in sections},
                **form.cleaned_data,
            )
            if "submit" in request.POST:
                services.reply_submit(user=request.user, reply=reply)
                messages.success(request, _("Reply sent for review."))
                return redirect("proposals:proposal_detail", pk=pk)
        except ValidationError as exc:
            _report(request, exc)
        else:
            messages.success(request, _("Draft saved."))
        return redirect("proposals:reply_edit", pk=pk)
    if request.method == "POST" and not editable:
        messages.error(request, _("This reply can no longer be edited."))
    return render(
        request,
        "proposals/reply_edit.html",
        {
            "reply": reply,
            "proposal": proposal,
            "form": form,
            "sections": sections,
            "editable": editable,
            "facts": facts_snapshot(),
            "problems": services.reply_problems(reply),
        },
    )


@staff_required
def reply_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The reply laid out as the formal document, for printing (draft or signed)."""
    reply = selectors.reply_document_for_user(user=request.user, proposal_pk=pk)
    return render(
        request,
        "proposals/reply_print.html",
        {"reply": reply, "register": RegisterSettings.get_solo(), "draft": not reply.is_signed_off},
    )


def _pdf_response(reply, *, draft: bool) -> HttpResponse:
    response = HttpResponse(pdf.reply_pdf(reply, draft=draft), content_type="application/pdf")
    name = f"reply-{reply.public_key}.pdf" if reply.public_key else f"reply-draft-{reply.pk}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


def reply_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The reply as a PDF, draft or signed: bureau staff only, 404 to everyone else (as the
    selector decides), so an unpublished reply's existence is not revealed."""
    reply = selectors.reply_document_for_user(user=request.user, proposal_pk=pk)
    return _pdf_response(reply, draft=not reply.is_signed_off)


# Public disclosure ---------------------------------------------------------------------


@rate_limit("public_search")
def public_reply_list(request: HttpRequest) -> HttpResponse:
    search = PublicSearchForm(request.GET or None)
    filters = search.cleaned_data if search.is_valid() else {}
    replies = selectors.published_replies(
        q=filters.get("q", ""), year=filters.get("year"), session=filters.get("session", "")
    )
    page = page_of(request, replies, PER_PAGE)
    return render(
        request,
        "proposals/public_reply_list.html",
        {
            "search": search,
            "page_obj": page,
            "years": selectors.published_years(),
            "sessions": selectors.published_sessions(),
        },
    )


@rate_limit("public_pages")
def public_reply_detail(request: HttpRequest, year: str, seq: str) -> HttpResponse:
    reply = selectors.published_reply_get(year=int(year), seq=int(seq))
    return render(request, "proposals/public_reply_detail.html", {"reply": reply})


@rate_limit("public_files")
def public_reply_pdf(request: HttpRequest, year: str, seq: str) -> HttpResponse:
    reply = selectors.published_reply_get(year=int(year), seq=int(seq))
    return _pdf_response(reply, draft=False)
