"""Pages of the credit app for bureau staff (rule sets, runs, imports) and the "why this
grade" page that a firm sees for its own rating."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from portal.imports import import_view
from portal.web import add_service_errors, bureau_required

from . import selectors, services
from .forms import RatingRunStartForm, RuleSetCopyForm, RuleSetForm
from .imports import AssessmentImporter, CreditEventImporter

RATINGS_PER_PAGE = 50


def readers_only(view: Callable) -> Callable:
    """Signed in, and the bureau or the association (others get 404: the pages do not exist
    for them)."""

    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not selectors.can_read_ratings(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


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


# --- rating runs -----------------------------------------------------------------------------


@readers_only
def run_list(request: HttpRequest) -> HttpResponse:
    runs = Paginator(selectors.rating_runs_for_user(user=request.user), 30)
    context = {
        "page_obj": runs.get_page(request.GET.get("page")),
        "form": RatingRunStartForm(),
        "can_manage": selectors.can_manage_credit(request.user),
    }
    return render(request, "credit/ratingrun_list.html", context)


@bureau_required
def run_start(request: HttpRequest) -> HttpResponse:
    form = RatingRunStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            run = services.rating_run_start(user=request.user, year=form.cleaned_data["year"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The rating of %(year)s was started.") % {"year": run.year})
            return redirect("credit:run_detail", pk=run.pk)
    return render(request, "credit/ratingrun_start.html", {"form": form})


@readers_only
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = selectors.rating_run_get_for_user(user=request.user, pk=pk)
    page = Paginator(selectors.ratings_of_run(run), RATINGS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "run": run,
        "page_obj": page,
        "summary": None if run.is_active else selectors.run_summary(run),
    }
    return render(request, "credit/ratingrun_detail.html", context)


@readers_only
def run_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar alone, polled by htmx; when the run ends the page reloads."""
    run = selectors.rating_run_get_for_user(user=request.user, pk=pk)
    response = render(request, "credit/ratingrun_detail_progress.html", {"run": run})
    if (
        not run.is_active
        and request.headers.get("HX-Request")
        and request.GET.get("was") == "active"
    ):
        response["HX-Refresh"] = "true"
    return response


@login_required
def rating_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Why this grade: every S(i), the compounds and assessments behind it, the events."""
    rating = selectors.rating_get_for_user(user=request.user, pk=pk)
    names = dict(selectors.indicators().values_list("code", "name"))
    breakdown = selectors.rating_breakdown_for_display(rating)
    indicators = [
        {**row, "name": names.get(row["code"], row["code"])}
        for row in breakdown.get("indicators", [])
    ]
    context = {
        "rating": rating,
        "run": rating.run,
        "breakdown": breakdown,
        "indicators": indicators,
        "can_read_runs": selectors.can_read_ratings(request.user),
    }
    return render(request, "credit/rating_detail.html", context)


# --- imports ---------------------------------------------------------------------------------


@bureau_required
def assessment_import(request: HttpRequest) -> HttpResponse:
    return import_view(
        request,
        AssessmentImporter(user=request.user),
        template_name="credit/import.html",
        extra_context={"title": _("Import assessments")},
    )


@bureau_required
def credit_event_import(request: HttpRequest) -> HttpResponse:
    return import_view(
        request,
        CreditEventImporter(user=request.user),
        template_name="credit/import.html",
        extra_context={"title": _("Import credit events")},
    )
