"""The credit pages: bureau staff manage, the association reads, a firm sees its own rating."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from credit import publication, services
from credit.choices import RunStatus
from credit.models import Rating, RatingRun, RuleSet

from .helpers import assess, rate

YEAR = 2023
CODES = ("quality", "satisfaction", "contract", "supervision")


@pytest.fixture
def rated(compound_a, compound_b, django_capture_on_commit_callbacks):
    for compound, score in ((compound_a, 92), (compound_b, 60)):
        for code in CODES:
            assess(YEAR, compound, compound.firm, code, "street", score)
    return rate(YEAR, django_capture_on_commit_callbacks)


def test_bureau_sees_runs_and_ranked_ratings(client_of, bureau_user, rated):
    response = client_of(bureau_user).get(reverse("credit:run_detail", args=[rated.pk]))
    assert response.status_code == 200
    ratings = list(response.context["page_obj"])
    assert [r.rank for r in ratings] == [1, 2]
    assert response.context["summary"].grades == {"A": 1, "B": 0, "C": 0, "D": 1}


def test_run_progress_partial(client_of, association_user, rated):
    response = client_of(association_user).get(reverse("credit:run_progress", args=[rated.pk]))
    assert response.status_code == 200
    assert b"100%" in response.content


@pytest.mark.parametrize("who", ["street_officer", "firm_user", "committee_user"])
def test_runs_do_not_exist_for_other_roles(client_of, rated, who, request):
    client = client_of(request.getfixturevalue(who))
    assert client.get(reverse("credit:run_detail", args=[rated.pk])).status_code == 404
    assert client.get(reverse("credit:run_list")).status_code == 404


def test_a_firm_sees_why_its_own_grade(client_of, bureau_user, firm_user, rated, compound_a):
    publication.publication_create(user=bureau_user, run=rated)  # shown to the firms
    rating = Rating.objects.get(run=rated, firm=firm_user.firm)
    response = client_of(firm_user).get(reverse("credit:rating_detail", args=[rating.pk]))
    assert response.status_code == 200
    assert response.context["indicators"][0]["S"] == "92"
    # The stored breakdown keeps compound ids: code and name are read when the page is shown.
    compound = response.context["indicators"][0]["compounds"][0]
    assert (compound["code"], compound["name"], compound["s_display"]) == (
        compound_a.code,
        compound_a.name,
        "92.00",
    )
    assert compound_a.name in response.content.decode()


def test_a_firm_cannot_see_another_firms_rating(client_of, other_firm_user, firm_user, rated):
    rating = Rating.objects.get(run=rated, firm=firm_user.firm)
    response = client_of(other_firm_user).get(reverse("credit:rating_detail", args=[rating.pk]))
    assert response.status_code == 404


def test_an_officer_cannot_see_a_rating(client_of, street_officer, firm_user, rated):
    rating = Rating.objects.get(run=rated, firm=firm_user.firm)
    response = client_of(street_officer).get(reverse("credit:rating_detail", args=[rating.pk]))
    assert response.status_code == 404


def test_bureau_starts_a_run_from_the_page(
    client_of, bureau_user, compound_a, django_capture_on_commit_callbacks
):
    for code in CODES:
        assess(YEAR, compound_a, compound_a.firm, code, "street", 70)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_of(bureau_user).post(reverse("credit:run_start"), {"year": YEAR})
    run = RatingRun.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("credit:run_detail", args=[run.pk])
    run.refresh_from_db()
    assert run.status == RunStatus.FINISHED


def test_starting_a_second_run_while_one_is_active_is_refused(client_of, bureau_user, compound_a):
    assess(YEAR, compound_a, compound_a.firm, "quality", "street", 70)
    services.rating_run_start(user=bureau_user, year=YEAR)  # pending: its chunks never ran
    response = client_of(bureau_user).post(reverse("credit:run_start"), {"year": YEAR})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert RatingRun.objects.count() == 1


def test_only_bureau_starts_runs(client_of, association_user, compound_a):
    assess(YEAR, compound_a, compound_a.firm, "quality", "street", 70)
    response = client_of(association_user).post(reverse("credit:run_start"), {"year": YEAR})
    assert response.status_code == 403
    assert not RatingRun.objects.exists()


def test_bureau_copies_and_edits_a_rule_set(client_of, bureau_user, db):
    base = services.rule_set_for_year(user=None, year=YEAR)
    client = client_of(bureau_user)
    response = client.post(reverse("credit:rule_set_copy"), {"source": base.pk, "year": 2024})
    new = RuleSet.objects.get(year=2024)
    assert response.url == reverse("credit:rule_set_edit", args=[new.pk])
    data = {
        "min_indicators": 3,
        "bonus_cap": "4",
        "threshold_a": "92",
        "threshold_b": "81",
        "threshold_c": "60",
        "publicity_days": 10,
        "repair_decision_days": 8,
        "veto_listing_years": 2,
        **{
            f"weight_{code}": "10"
            for code in (
                "quality",
                "satisfaction",
                "contract",
                "supervision",
                "decisions",
                "petitions",
            )
        },
    }
    response = client.post(reverse("credit:rule_set_edit", args=[new.pk]), data)
    assert response.status_code == 302
    new.refresh_from_db()
    assert (new.min_indicators, new.threshold_a, new.repair_decision_days) == (3, Decimal("92"), 8)
    assert new.veto_listing_years == 2
    assert new.weights.get(indicator__code="quality").weight == Decimal("10")
    assert base.weights.get(indicator__code="quality").weight == Decimal("30")


def test_rule_set_edit_refuses_thresholds_out_of_order_and_zero_weights(client_of, bureau_user, db):
    rule_set = services.rule_set_for_year(user=None, year=YEAR)
    data = {
        "min_indicators": 4,
        "bonus_cap": "5",
        "threshold_a": "80",
        "threshold_b": "80",
        "threshold_c": "65",
        "publicity_days": 7,
        **{
            f"weight_{code}": "0"
            for code in (
                "quality",
                "satisfaction",
                "contract",
                "supervision",
                "decisions",
                "petitions",
            )
        },
    }
    response = client_of(bureau_user).post(
        reverse("credit:rule_set_edit", args=[rule_set.pk]), data
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "weight_quality" in form.errors and form.non_field_errors()
    rule_set.refresh_from_db()
    assert rule_set.threshold_a == Decimal("90")


def test_a_frozen_rule_set_cannot_be_edited(bureau_user, db):
    from django.core.exceptions import ValidationError

    rule_set = services.rule_set_for_year(user=None, year=YEAR)
    services.rule_set_freeze(user=bureau_user, rule_set=rule_set)
    with pytest.raises(ValidationError) as refused:
        services.rule_set_update(user=bureau_user, rule_set=rule_set, bonus_cap=Decimal("1"))
    assert refused.value.code == "frozen"


def test_assessment_import_page_is_bureau_only(client_of, street_officer, bureau_user, db):
    assert client_of(street_officer).get(reverse("credit:assessment_import")).status_code == 403
    assert client_of(bureau_user).get(reverse("credit:assessment_import")).status_code == 200
    assert client_of(bureau_user).get(reverse("credit:credit_event_import")).status_code == 200
    assert client_of(bureau_user).get(reverse("credit:rule_set_list")).status_code == 200
    assert client_of(bureau_user).get(reverse("credit:run_list")).status_code == 200


def test_bureau_forms_render(client_of, bureau_user, db):
    rule_set = services.rule_set_for_year(user=None, year=YEAR)
    client = client_of(bureau_user)
    for url in (
        reverse("credit:rule_set_copy"),
        reverse("credit:rule_set_edit", args=[rule_set.pk]),
        reverse("credit:run_start"),
    ):
        assert client.get(url).status_code == 200, url


def test_why_page_of_a_firm_that_is_not_rated(
    client_of, bureau_user, firm_user, compound_a, django_capture_on_commit_callbacks
):
    assess(YEAR, compound_a, compound_a.firm, "quality", "street", 70)
    run = rate(YEAR, django_capture_on_commit_callbacks)
    publication.publication_create(user=bureau_user, run=run)
    rating = Rating.objects.get(run=run)
    response = client_of(firm_user).get(reverse("credit:rating_detail", args=[rating.pk]))
    assert response.status_code == 200
    assert rating.grade == "" and rating.rank is None
