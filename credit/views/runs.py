"""Rating run pages for bureau staff (start, progress, results) and the "why this grade" page
that a firm sees for its own rating."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.params import page_of, query_choice
from portal.web import add_service_errors, bureau_required

from .. import selectors, services
from ..forms import RatingRunStartForm
from .common import readers_only

RATINGS_PER_PAGE = 50


# --- rating runs -----------------------------------------------------------------------------


@readers_only
def run_list(request: HttpRequest) -> HttpResponse:
    context = {
        "page_obj": page_of(request, selectors.rating_runs_for_user(user=request.user), 30),
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
    context = {
        "run": run,
        "page_obj": page_of(request, selectors.ratings_of_run(run), RATINGS_PER_PAGE),
        "summary": None if run.is_active else selectors.run_summary(run),
        "can_manage": selectors.can_manage_credit(request.user),
    }
    return render(request, "credit/ratingrun_detail.html", context)


@bureau_required
@require_POST
def run_resume(request: HttpRequest, pk: int) -> HttpResponse:
    run = selectors.rating_run_get_for_user(user=request.user, pk=pk)
    try:
        queued = services.rating_run_resume(run=run)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("%(firms)s unrated firms were queued again.") % {"firms": queued}
        )
    return redirect("credit:run_detail", pk=run.pk)


@readers_only
def run_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar alone, polled by htmx; when the run ends the page reloads."""
    run = selectors.rating_run_get_for_user(user=request.user, pk=pk)
    response = render(request, "credit/ratingrun_detail_progress.html", {"run": run})
    if (
        not run.is_active
        and request.headers.get("HX-Request")
        and query_choice(request, "was", ["active"])
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
    events = selectors.credit_events_of_rating(rating)
    context = {
        "rating": rating,
        "run": rating.run,
        "breakdown": breakdown,
        "indicators": indicators,
        "events": events,
        "events_changed": selectors.events_changed_since(rating, events),
        "can_read_runs": selectors.can_read_ratings(request.user),
    }
    return render(request, "credit/rating_detail.html", context)
