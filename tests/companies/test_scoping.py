"""Who sees which firm and compound: every role is refused outside its own scope."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.urls import reverse

from companies import selectors
from tests.factories import CommunityFactory, CompoundFactory


@pytest.fixture
def compound_a2(street_a, firm_b):
    """Street A, another community than A's, served by firm B."""
    return CompoundFactory(
        community=CommunityFactory(street=street_a, name="东二社区"), firm=firm_b
    )


@pytest.fixture
def compound_a_sibling(community_a, firm_a):
    """Community A again, firm A again: another committee's compound."""
    return CompoundFactory(community=community_a, firm=firm_a, name="东苑二期")


def _compound_url(compound) -> str:
    return reverse("companies:compound_detail", kwargs={"pk": compound.pk})


def _firm_url(firm) -> str:
    return reverse("companies:firm_detail", kwargs={"pk": firm.pk})


# --- the refusals, one per role ---------------------------------------------------------------


def test_street_officer_gets_404_for_a_compound_of_another_street(
    client_of, street_officer, compound_a, compound_b
):
    client = client_of(street_officer)
    assert client.get(_compound_url(compound_a)).status_code == 200
    assert client.get(_compound_url(compound_b)).status_code == 404


def test_street_officer_gets_404_for_a_firm_serving_only_another_street(
    client_of, street_officer, compound_a, compound_b, firm_a, firm_b
):
    client = client_of(street_officer)
    assert client.get(_firm_url(firm_a)).status_code == 200
    assert client.get(_firm_url(firm_b)).status_code == 404


def test_community_officer_gets_404_for_a_compound_of_another_community(
    client_of, community_officer, compound_a, compound_a2, compound_b
):
    client = client_of(community_officer)
    assert client.get(_compound_url(compound_a)).status_code == 200
    assert client.get(_compound_url(compound_a2)).status_code == 404  # same street
    assert client.get(_compound_url(compound_b)).status_code == 404


def test_community_officer_gets_404_for_a_firm_serving_another_community(
    client_of, community_officer, compound_a, compound_a2, firm_b
):
    assert client_of(community_officer).get(_firm_url(firm_b)).status_code == 404


def test_firm_user_gets_404_for_another_firm_and_its_compounds(
    client_of, firm_user, compound_a, compound_b, firm_a, firm_b
):
    client = client_of(firm_user)
    assert client.get(_firm_url(firm_a)).status_code == 200
    assert client.get(_compound_url(compound_a)).status_code == 200
    assert client.get(_firm_url(firm_b)).status_code == 404
    assert client.get(_compound_url(compound_b)).status_code == 404


def test_committee_gets_404_for_another_compound_even_next_door(
    client_of, committee_user, compound_a, compound_a_sibling, compound_b
):
    client = client_of(committee_user)
    assert client.get(_compound_url(compound_a)).status_code == 200
    assert client.get(_compound_url(compound_a_sibling)).status_code == 404
    assert client.get(_compound_url(compound_b)).status_code == 404


def test_committee_sees_its_compounds_firm_but_no_other(
    client_of, committee_user, compound_a, compound_b, firm_a, firm_b
):
    client = client_of(committee_user)
    assert client.get(_firm_url(firm_a)).status_code == 200
    assert client.get(_firm_url(firm_b)).status_code == 404


@pytest.mark.parametrize("role", ["bureau_user", "association_user"])
def test_city_wide_readers_see_every_firm_and_compound(
    request, client_of, role, compound_a, compound_b, firm_b
):
    client = client_of(request.getfixturevalue(role))
    assert client.get(_compound_url(compound_b)).status_code == 200
    assert client.get(_firm_url(firm_b)).status_code == 200


def test_anonymous_is_sent_to_sign_in_for_registry_pages(client, compound_a, firm_a):
    for url in (_compound_url(compound_a), _firm_url(firm_a)):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


# --- the lists and the selectors --------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("bureau_user", {"a", "a2", "b"}),
        ("association_user", {"a", "a2", "b"}),
        ("street_officer", {"a", "a2"}),
        ("community_officer", {"a"}),
        ("firm_user", {"a"}),
        ("committee_user", {"a"}),
        ("other_street_officer", {"b"}),
    ],
)
def test_compound_list_shows_only_the_users_scope(
    request, client_of, role, expected, compound_a, compound_a2, compound_b
):
    names = {compound_a.pk: "a", compound_a2.pk: "a2", compound_b.pk: "b"}
    response = client_of(request.getfixturevalue(role)).get(reverse("companies:compound_list"))
    assert response.status_code == 200
    assert {names[row.record.pk] for row in response.context["table"].page.object_list} == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("bureau_user", {"a", "b"}),
        ("street_officer", {"a", "b"}),  # firm B serves compound A2 in street A
        ("community_officer", {"a"}),
        ("firm_user", {"a"}),
        ("committee_user", {"a"}),
        ("other_street_officer", {"b"}),
    ],
)
def test_firm_list_shows_only_firms_serving_the_users_scope(
    request, client_of, role, expected, compound_a, compound_a2, compound_b, firm_a, firm_b
):
    names = {firm_a.pk: "a", firm_b.pk: "b"}
    response = client_of(request.getfixturevalue(role)).get(reverse("companies:firm_list"))
    assert response.status_code == 200
    assert {names[row.record.pk] for row in response.context["table"].page.object_list} == expected


def test_firm_figures_count_only_the_compounds_the_officer_may_see(
    street_officer, compound_a2, compound_b, firm_b
):
    firm = selectors.firm_get_for_user(user=street_officer, pk=firm_b.pk)
    assert firm.compound_count == 1
    assert [c.pk for c in firm.current_compounds] == [compound_a2.pk]


def test_selectors_raise_404_outside_the_scope(street_officer, compound_b, firm_b):
    with pytest.raises(Http404):
        selectors.compound_get_for_user(user=street_officer, pk=compound_b.pk)
    with pytest.raises(Http404):
        selectors.firm_get_for_user(user=street_officer, pk=firm_b.pk)


def test_filter_choices_offer_only_areas_within_the_scope(
    client_of, street_officer, street_a, street_b, compound_a, compound_b
):
    response = client_of(street_officer).get(reverse("companies:compound_list"))
    form = response.context["filterset"].form
    assert list(form.fields["street"].queryset) == [street_a]
    assert street_b not in form.fields["street"].queryset


def test_asking_to_filter_by_another_street_shows_nothing_of_it(
    client_of, street_officer, street_b, compound_a, compound_b
):
    response = client_of(street_officer).get(
        reverse("companies:compound_list"), {"street": street_b.pk}
    )
    shown = {row.record.pk for row in response.context["table"].page.object_list}
    assert compound_b.pk not in shown
