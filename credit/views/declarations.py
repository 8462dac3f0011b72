"""Good-conduct declarations: a firm declares, the street or the bureau accepts (a bonus credit
event) or refuses; and a firm's own record of credit events, read-only."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.params import page_of
from portal.web import act_and_return, add_service_errors, visible_to

from ..forms.declarations import (
    DeclarationAcceptForm,
    DeclarationFilterForm,
    DeclarationForm,
    DeclarationRefuseForm,
)
from ..services import declarations as services

PER_PAGE = 50


@visible_to(services.can_see_declarations)
def declaration_list(request: HttpRequest) -> HttpResponse:
    form = DeclarationFilterForm(request.GET or None)
    declarations = services.declarations_in_state(
        services.declarations_for_user(user=request.user),
        state=form.cleaned_data["state"] if form.is_valid() else "",
        today=timezone.localdate(),
    )
    context = {
        "filter_form": form,
        "page_obj": page_of(request, declarations, PER_PAGE),
        "is_firm": services.is_firm_user(request.user),
    }
    return render(request, "credit/declaration_list.html", context)


@visible_to(services.is_firm_user)
def declaration_create(request: HttpRequest) -> HttpResponse:
    form = DeclarationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            declaration = services.declaration_file(
                user=request.user,
                kind=data["kind"],
                date=data["date"],
                description=data["description"],
                evidence=data["files"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your declaration of good conduct was filed."))
            return redirect("credit:declaration_detail", pk=declaration.pk)
    return render(request, "credit/declaration_form.html", {"form": form})


@visible_to(services.can_see_declarations)
def declaration_detail(request: HttpRequest, pk: int) -> HttpResponse:
    declaration = services.declaration_get_for_user(user=request.user, pk=pk)
    context = {
        "declaration": declaration,
        "can_decide": declaration.is_pending and services.can_review(request.user),
        "accept_form": DeclarationAcceptForm(
            initial={"points": declaration.default_points}, late=_late(declaration)
        ),
        "refuse_form": DeclarationRefuseForm(late=_late(declaration)),
        "today": timezone.localdate(),
        "history": services.declaration_history(declaration),
    }
    return render(request, "credit/declaration_detail.html", context)


def _late(declaration) -> bool:
    """Pending past its decision date: the decision must say why it is late."""
    return declaration.is_pending and declaration.decide_by < timezone.localdate()


@visible_to(services.can_review)
@require_POST
def declaration_accept(request: HttpRequest, pk: int) -> HttpResponse:
    declaration = services.declaration_get_for_user(user=request.user, pk=pk)
    return act_and_return(
        request,
        DeclarationAcceptForm(request.POST, late=_late(declaration)),
        lambda data: services.declaration_accept(
            user=request.user,
            declaration=declaration,
            points=data["points"],
            delay_reason=data.get("delay_reason", ""),
        ),
        _("Accepted: a bonus credit event was recorded."),
        redirect("credit:declaration_detail", pk=declaration.pk),
    )


@visible_to(services.can_review)
@require_POST
def declaration_refuse(request: HttpRequest, pk: int) -> HttpResponse:
    declaration = services.declaration_get_for_user(user=request.user, pk=pk)
    return act_and_return(
        request,
        DeclarationRefuseForm(request.POST, late=_late(declaration)),
        lambda data: services.declaration_refuse(
            user=request.user,
            declaration=declaration,
            reasons=data["reasons"],
            delay_reason=data.get("delay_reason", ""),
        ),
        _("The declaration was refused."),
        redirect("credit:declaration_detail", pk=declaration.pk),
    )


@visible_to(services.is_firm_user)
def own_event_list(request: HttpRequest) -> HttpResponse:
    events = services.own_credit_events(user=request.user)
    return render(
        request, "credit/declaration_events.html", {"page_obj": page_of(request, events, PER_PAGE)}
    )
