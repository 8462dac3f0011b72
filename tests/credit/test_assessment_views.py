"""The assessment window and the scoring grid: who scores what, all-or-nothing saves, and
the history of every change."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from credit import services
from credit.models import Assessment, AssessmentWindow
from portal.choices import Role
from tests.factories import CompoundFactory, UserFactory

from .helpers import assess

YEAR = 2023
SIX = ("quality", "satisfaction", "contract", "supervision", "decisions", "petitions")


def grid_url(year: int = YEAR) -> str:
    return reverse("credit:assessment_grid", args=[year])


def post_grid(client, compounds, scores: dict, year: int = YEAR, url: str | None = None, **extra):
    data = {"compound": [c.pk for c in compounds], **extra}
    for (compound, code), value in scores.items():
        data[f"c{compound.pk}_{code}"] = value
    return client.post(url or grid_url(year), data)


@pytest.fixture(autouse=True)
def _indicators(db):
    # A transactional test elsewhere may have flushed the rows of the data migration.
    services.indicators_ensure()


@pytest.fixture
def window(bureau_user):
    return services.assessment_window_open(user=bureau_user, year=YEAR)


# --- the window ------------------------------------------------------------------------------


def test_bureau_opens_the_window_and_the_page_says_who_and_when(client_of, bureau_user):
    client = client_of(bureau_user)
    response = client.post(reverse("credit:window_open"), {"year": YEAR})
    assert response.status_code == 302
    window = AssessmentWindow.objects.get(year=YEAR)
    assert window.is_open and window.opened_by == bureau_user and window.opened_at
    page = client.get(reverse("credit:window_list"))
    assert page.status_code == 200
    assert str(bureau_user) in page.content.decode()


def test_closing_asks_for_confirmation_first(client_of, bureau_user, window):
    client = client_of(bureau_user)
    confirm = client.get(reverse("credit:window_close", args=[YEAR]))
    assert confirm.status_code == 200
    assert AssessmentWindow.objects.get(year=YEAR).is_open
    response = client.post(reverse("credit:window_close", args=[YEAR]))
    assert response.status_code == 302
    window.refresh_from_db()
    assert not window.is_open and window.closed_by == bureau_user


def test_closing_a_window_that_is_not_open_is_404(client_of, bureau_user, db):
    response = client_of(bureau_user).post(reverse("credit:window_close", args=[YEAR]))
    assert response.status_code == 404


@pytest.mark.parametrize("who", ["street_officer", "association_user", "firm_user"])
def test_only_bureau_opens_and_closes_windows(client_of, window, who, request):
    client = client_of(request.getfixturevalue(who))
    assert client.post(reverse("credit:window_open"), {"year": YEAR + 1}).status_code == 403
    assert client.post(reverse("credit:window_close", args=[YEAR])).status_code == 403
    assert list(AssessmentWindow.objects.values_list("year", "is_open")) == [(YEAR, True)]


def test_firm_users_have_no_assessment_pages(client_of, firm_user, window):
    client = client_of(firm_user)
    assert client.get(reverse("credit:window_list")).status_code == 403
    assert client.get(grid_url()).status_code == 403


# --- the grid: street officers ---------------------------------------------------------------


def test_street_officer_sees_the_compounds_of_the_street_with_their_firms(
    client_of, street_officer, compound_a, compound_b, window
):
    unmanaged = CompoundFactory(community=compound_a.community, firm=None)
    assess(YEAR, compound_a, compound_a.firm, "quality", "street", "77.5")
    assess(YEAR, compound_a, compound_a.firm, "contract", "community", "10")  # another role
    response = client_of(street_officer).get(grid_url())
    assert response.status_code == 200
    form = response.context["form"]
    assert form.compounds == [compound_a]  # not street B's, not the one without a firm
    assert [i.code for i in form.indicators] == list(SIX)
    assert form[f"c{compound_a.pk}_quality"].value() == Decimal("77.50")
    assert form[f"c{compound_a.pk}_contract"].value() is None
    content = response.content.decode()
    assert compound_a.firm.name in content
    assert compound_b.name not in content
    assert unmanaged.name not in content
    # The inputs a phone and a keyboard need.
    assert 'type="number"' in content and 'step="0.01"' in content
    assert 'min="0"' in content and 'max="100"' in content


def test_street_officer_saves_a_whole_row_in_one_post(
    client_of, street_officer, compound_a, window
):
    scores = {(compound_a, code): str(70 + n) for n, code in enumerate(SIX)}
    response = post_grid(client_of(street_officer), [compound_a], scores)
    assert response.status_code == 302
    rows = Assessment.objects.filter(compound=compound_a, firm=compound_a.firm)
    assert sorted(rows.values_list("indicator__code", "score", "assessor_role")) == sorted(
        (code, Decimal(70 + n), "street") for n, code in enumerate(SIX)
    )
    assert set(rows.values_list("entered_by", flat=True)) == {street_officer.pk}


def test_a_blank_cell_is_no_score(client_of, street_officer, compound_a, window):
    response = post_grid(
        client_of(street_officer),
        [compound_a],
        {(compound_a, "quality"): "88", (compound_a, "contract"): ""},
    )
    assert response.status_code == 302
    assert list(Assessment.objects.values_list("indicator__code", flat=True)) == ["quality"]


@pytest.mark.parametrize("bad", ["100.01", "-1", "85.125", "abc"])
def test_a_bad_cell_is_reported_beside_it_and_nothing_is_saved(
    client_of, street_officer, compound_a, window, bad
):
    second = CompoundFactory(community=compound_a.community)
    response = post_grid(
        client_of(street_officer),
        [compound_a, second],
        {(compound_a, "quality"): "90", (second, "quality"): "80", (second, "contract"): bad},
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [f"c{second.pk}_contract"]
    content = response.content.decode()
    assert f'id="c{second.pk}_contract-error"' in content
    assert "is-invalid" in content
    assert not Assessment.objects.exists()


def test_a_compound_of_another_street_is_404_and_nothing_is_written(
    client_of, street_officer, compound_a, compound_b, window
):
    client = client_of(street_officer)
    alone = post_grid(client, [compound_b], {(compound_b, "quality"): "50"})
    mixed = post_grid(
        client,
        [compound_a, compound_b],
        {(compound_a, "quality"): "60", (compound_b, "quality"): "50"},
    )
    assert (alone.status_code, mixed.status_code) == (404, 404)
    assert not Assessment.objects.exists()


def test_cells_of_compounds_not_listed_are_ignored(
    client_of, street_officer, compound_a, compound_b, window
):
    response = post_grid(
        client_of(street_officer),
        [compound_a],
        {(compound_a, "quality"): "60", (compound_b, "quality"): "50"},
    )
    assert response.status_code == 302
    assert list(Assessment.objects.values_list("compound", flat=True)) == [compound_a.pk]


def test_a_resubmission_replaces_the_score_and_the_history_keeps_the_old_one(
    client_of, street_officer, compound_a, window
):
    client = client_of(street_officer)
    post_grid(client, [compound_a], {(compound_a, "quality"): "70"})
    post_grid(client, [compound_a], {(compound_a, "quality"): "75.5"})
    post_grid(client, [compound_a], {(compound_a, "quality"): "75.50"})  # unchanged: no history
    assessment = Assessment.objects.get()
    assert assessment.score == Decimal("75.50")
    history = list(assessment.history.order_by("history_date").values_list("score", "history_user"))
    assert history == [(Decimal("70"), street_officer.pk), (Decimal("75.5"), street_officer.pk)]

    page = client.get(reverse("credit:assessment_history", args=[YEAR, compound_a.pk]))
    assert page.status_code == 200
    assert [r.score for r in page.context["records"]] == [Decimal("75.5"), Decimal("70")]


def test_the_history_page_of_another_streets_compound_is_404(
    client_of, other_street_officer, compound_a, window
):
    assess(YEAR, compound_a, compound_a.firm, "quality", "street", "70")
    url = reverse("credit:assessment_history", args=[YEAR, compound_a.pk])
    assert client_of(other_street_officer).get(url).status_code == 404


def test_the_history_shows_an_officer_only_its_own_roles_scores(
    client_of, street_officer, compound_a, window
):
    assess(YEAR, compound_a, compound_a.firm, "quality", "community", "60")
    assess(YEAR, compound_a, compound_a.firm, "quality", "street", "70")
    page = client_of(street_officer).get(
        reverse("credit:assessment_history", args=[YEAR, compound_a.pk])
    )
    assert [r.assessor_role for r in page.context["records"]] == ["street"]


# --- the window closed -----------------------------------------------------------------------


def test_after_the_window_closes_an_officer_is_refused(
    client_of, bureau_user, street_officer, compound_a, window
):
    services.assessment_window_close(user=bureau_user, year=YEAR)
    client = client_of(street_officer)
    page = client.get(grid_url())
    assert page.status_code == 200
    assert not page.context["may_write"]
    assert "disabled" in page.content.decode()
    response = post_grid(client, [compound_a], {(compound_a, "quality"): "70"})
    assert response.status_code == 403
    assert not Assessment.objects.exists()


def test_without_any_window_an_officer_is_refused(client_of, street_officer, compound_a):
    response = post_grid(client_of(street_officer), [compound_a], {(compound_a, "quality"): "70"})
    assert response.status_code == 403
    assert not Assessment.objects.exists()


def test_after_the_window_closes_bureau_staff_must_give_a_reason(
    client_of, bureau_user, compound_a, window
):
    services.assessment_window_close(user=bureau_user, year=YEAR)
    client = client_of(bureau_user)
    refused = post_grid(client, [compound_a], {(compound_a, "quality"): "66"})
    assert refused.status_code == 200
    assert "reason" in refused.context["form"].errors
    assert not Assessment.objects.exists()

    saved = post_grid(
        client, [compound_a], {(compound_a, "quality"): "66"}, reason="Verified complaint"
    )
    assert saved.status_code == 302
    assessment = Assessment.objects.get()
    assert (assessment.score, assessment.assessor_role) == (Decimal("66"), "bureau")
    assert assessment.history.latest().history_change_reason == "Verified complaint"


# --- other roles -----------------------------------------------------------------------------


def test_a_community_officer_scores_the_compounds_of_the_community(
    client_of, community_officer, compound_a, compound_b, window
):
    other_community = CompoundFactory(community__street=compound_a.community.street)
    client = client_of(community_officer)
    assert client.get(grid_url()).context["form"].compounds == [compound_a]
    response = post_grid(client, [compound_a], {(compound_a, "petitions"): "91.25"})
    assert response.status_code == 302
    assert Assessment.objects.get().assessor_role == "community"
    refused = post_grid(client, [other_community], {(other_community, "quality"): "50"})
    assert refused.status_code == 404
    assert Assessment.objects.count() == 1


def test_an_owners_committee_rates_only_satisfaction_of_its_compound(
    client_of, committee_user, compound_a, compound_b, window
):
    client = client_of(committee_user)
    form = client.get(grid_url()).context["form"]
    assert form.compounds == [compound_a]
    assert [i.code for i in form.indicators] == ["satisfaction"]
    response = post_grid(
        client,
        [compound_a],
        {(compound_a, "satisfaction"): "85", (compound_a, "quality"): "99"},
    )
    assert response.status_code == 302
    assert list(Assessment.objects.values_list("indicator__code", "assessor_role")) == [
        ("satisfaction", "owners_committee")
    ]
    other = post_grid(client, [compound_b], {(compound_b, "satisfaction"): "10"})
    assert other.status_code == 404
    assert Assessment.objects.count() == 1


@pytest.mark.parametrize(
    ("who", "role"), [("association_user", "association"), ("bureau_user", "bureau")]
)
def test_association_and_bureau_pick_any_compound_by_street(
    client_of, compound_a, compound_b, window, who, role, request
):
    client = client_of(request.getfixturevalue(who))
    all_compounds = client.get(grid_url()).context["form"].compounds
    assert set(all_compounds) == {compound_a, compound_b}
    street_b = compound_b.community.street
    filtered = client.get(grid_url(), {"street": street_b.pk}).context["form"].compounds
    assert filtered == [compound_b]
    by_community = client.get(grid_url(), {"community": compound_a.community_id})
    assert by_community.context["form"].compounds == [compound_a]
    url = f"{grid_url()}?street={street_b.pk}"
    response = post_grid(client, [compound_b], {(compound_b, "quality"): "55"}, url=url)
    assert response.status_code == 302
    assert response.url == url  # back to the same filtered page
    assert Assessment.objects.get().assessor_role == role


def test_a_street_officer_filters_the_grid_by_community(
    client_of, street_officer, compound_a, window
):
    second_community = CompoundFactory(community__street=compound_a.community.street)
    client = client_of(street_officer)
    assert len(client.get(grid_url()).context["form"].compounds) == 2
    filtered = client.get(grid_url(), {"community": second_community.community_id})
    assert filtered.context["form"].compounds == [second_community]


def test_the_grid_pages_with_a_bounded_number_of_queries(
    client_of, street_officer, community_a, window, django_assert_max_num_queries
):
    compounds = CompoundFactory.create_batch(200, community=community_a)
    for compound in compounds[:60]:
        assess(YEAR, compound, compound.firm, "quality", "street", "80")
    client = client_of(street_officer)
    client.get(grid_url())  # warm the session and the indicators
    with django_assert_max_num_queries(10):
        response = client.get(grid_url())
    assert response.status_code == 200
    page = response.context["page_obj"]
    assert page.paginator.count == 200
    assert len(response.context["form"].compounds) == 50
    with django_assert_max_num_queries(10):
        assert client.get(grid_url(), {"page": 4}).status_code == 200


def test_a_new_officer_account_sees_nothing_outside_its_street(
    client_of, compound_a, compound_b, window
):
    officer = UserFactory(role=Role.STREET, street=compound_b.community.street)
    form = client_of(officer).get(grid_url()).context["form"]
    assert form.compounds == [compound_b]


def test_the_grid_service_reports_every_refused_cell_and_writes_nothing(
    street_officer, compound_a, compound_b, window
):
    quality = services.indicators_ensure()["quality"]
    entries = [
        (compound_a, quality, Decimal("80")),
        (compound_b, quality, Decimal("70")),  # another street: refused by may_assess
    ]
    with pytest.raises(ValidationError) as refused:
        services.assessment_grid_submit(user=street_officer, year=YEAR, entries=entries)
    assert list(refused.value.message_dict) == [f"c{compound_b.pk}_quality"]
    assert not Assessment.objects.exists()
