"""Rule set pages for bureau staff: the list, a copy for a new year, the parameters and
weights."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from portal.web import add_service_errors, bureau_required

from .. import selectors, services
from ..forms import RuleSetCopyForm, RuleSetForm
from .common import readers_only

# --- rule sets -------------------------------------------------------------------------------


@readers_only
def rule_set_list(request: HttpRequest) -> HttpResponse:
    context = {
        "rule_sets": selectors.rule_sets_list(),
        "indicators": list(selectors.indicators()),
        "can_manage": selectors.can_manage_credit(request.user),
    }
    return render(request, "credit/ruleset_list.html", context)


@bureau_required
def rule_set_copy(request: HttpRequest) -> HttpResponse:
    form = RuleSetCopyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rule_set = services.rule_set_copy(
                user=request.user,
                source=form.cleaned_data["source"],
                year=form.cleaned_data["year"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("The rule set of %(year)s was created.") % {"year": rule_set.year}
            )
            return redirect("credit:rule_set_edit", pk=rule_set.pk)
    return render(request, "credit/ruleset_copy.html", {"form": form})


@bureau_required
def rule_set_edit(request: HttpRequest, pk: int) -> HttpResponse:
    rule_set = selectors.rule_set_get(user=request.user, pk=pk)
    weights = {w.indicator.code: w.weight for w in rule_set.ordered_weights}
    form = RuleSetForm(
        request.POST or None,
        instance=rule_set,
        indicators=list(selectors.indicators()),
        weights=weights,
    )
    if rule_set.is_frozen:
        messages.warning(request, _("This rule set is frozen: a rating made with it is published."))
    if request.method == "POST" and form.is_valid():
        try:
            services.rule_set_update(
                user=request.user, rule_set=rule_set, weights=form.weights(), **form.parameters()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The rule set was saved."))
            return redirect("credit:rule_set_list")
    return render(request, "credit/ruleset_form.html", {"form": form, "rule_set": rule_set})
