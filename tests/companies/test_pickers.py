"""Forms a clerk can use with 1,500 compounds: the registry's community and firm fields are
searchable pickers that render only the chosen row; the field still decides what is valid,
and a row outside it is refused in Chinese. Namesakes (铁路社区 in eight streets, 热电厂宿舍
ten times) are told apart by their street or code, in the account list too."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from companies.models import Compound
from portal.choices import Role
from tests.factories import CommunityFactory, CompoundFactory, FirmFactory, UserFactory

pytestmark = pytest.mark.django_db

INVALID_CHOICE = "选择一个有效的选项"


def _options(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, f"no select {name}"
    return re.findall(r'<option value="([^"]*)"', select.group(1))


def _compound_data(community_pk, **overrides) -> dict:
    data = {
        "code": "XQ-NEW-1",
        "name": "热电厂宿舍",
        "community": community_pk,
        "households": "120",
        "floor_area": "8000.50",
        "firm": "",
        "since": "2024-01-01",
    }
    data.update(overrides)
    return data


@pytest.fixture
def many_communities(db):
    """Thirty 铁路社区, each in a street of its own."""
    return CommunityFactory.create_batch(30, name="铁路社区")


# --- compound create and edit: the community picker ---------------------------------------------


def test_the_new_compound_form_offers_no_community_until_the_clerk_searches(
    client_of, bureau_user, many_communities
):
    html = client_of(bureau_user).get(reverse("companies:compound_create")).content.decode()
    assert 'data-picker="/pick/community/"' in html
    assert _options(html, "community") == [""]
    assert 'data-picker="/pick/firm/"' in html
    assert _options(html, "firm") == [""]


def test_the_compound_edit_form_renders_only_its_community_named_with_its_street(
    client_of, bureau_user, many_communities, compound_a
):
    html = (
        client_of(bureau_user)
        .get(reverse("companies:compound_edit", args=[compound_a.pk]))
        .content.decode()
    )
    assert _options(html, "community") == ["", str(compound_a.community_id)]
    assert f"{compound_a.community.name} · {compound_a.community.street.name}" in html


def test_a_compound_is_registered_with_a_picked_community_and_firm(
    client_of, bureau_user, many_communities, firm_a
):
    community = many_communities[17]
    response = client_of(bureau_user).post(
        reverse("companies:compound_create"), _compound_data(community.pk, firm=firm_a.pk)
    )
    assert response.status_code == 302
    compound = Compound.objects.get(code="XQ-NEW-1")
    assert compound.community == community and compound.firm == firm_a


def test_a_community_that_does_not_exist_is_refused_in_chinese(client_of, bureau_user, community_a):
    response = client_of(bureau_user).post(
        reverse("companies:compound_create"), _compound_data(community_a.pk + 999)
    )
    assert response.status_code == 200
    assert INVALID_CHOICE in response.content.decode()
    assert not Compound.objects.filter(code="XQ-NEW-1").exists()


def test_the_compound_form_is_refused_to_other_roles(client_of, street_officer):
    assert client_of(street_officer).get(reverse("companies:compound_create")).status_code == 403


# --- change of firm: the firm picker -------------------------------------------------------------


def test_the_change_firm_form_renders_no_firm_but_the_chosen_one(
    client_of, bureau_user, compound_a, firm_b
):
    FirmFactory.create_batch(30)
    url = reverse("companies:compound_change_firm", args=[compound_a.pk])
    html = client_of(bureau_user).get(url).content.decode()
    assert 'data-picker="/pick/firm/"' in html
    assert _options(html, "firm") == [""]
    preview = client_of(bureau_user).post(url, {"firm": firm_b.pk, "since": "2024-05-01"})
    assert preview.status_code == 200 and preview.context["preview"] is True


def test_a_firm_that_does_not_exist_is_refused_in_chinese(client_of, bureau_user, compound_a):
    url = reverse("companies:compound_change_firm", args=[compound_a.pk])
    response = client_of(bureau_user).post(url, {"firm": 999999, "since": "2024-05-01"})
    assert response.status_code == 200 and response.context["preview"] is False
    assert INVALID_CHOICE in response.content.decode()


# --- the list filters ----------------------------------------------------------------------------


def test_the_list_filters_render_only_the_chosen_community_and_firm(
    client_of, bureau_user, compound_a, many_communities
):
    html = (
        client_of(bureau_user)
        .get(
            reverse("companies:compound_list"),
            {"community": compound_a.community_id, "firm": compound_a.firm_id},
        )
        .content.decode()
    )
    assert _options(html, "community") == ["", str(compound_a.community_id)]
    assert _options(html, "firm") == ["", str(compound_a.firm_id)]


def test_a_community_outside_the_officers_street_is_refused_by_the_filter(
    client_of, street_officer, compound_a, compound_b
):
    response = client_of(street_officer).get(
        reverse("companies:compound_list"), {"community": compound_b.community_id}
    )
    assert INVALID_CHOICE in response.content.decode()
    rows = [row.record for row in response.context["table"].page.object_list]
    assert compound_b not in rows


# --- the account list ----------------------------------------------------------------------------


def test_the_account_list_tells_namesakes_apart_by_street_and_code(
    client_of, bureau_user, street_a, street_b
):
    for street in (street_a, street_b):
        community = CommunityFactory(street=street, name="铁路社区")
        UserFactory(role=Role.COMMUNITY, community=community)
        compound = CompoundFactory(community=community, name="热电厂宿舍")
        UserFactory(role=Role.OWNERS_COMMITTEE, compound=compound)
    html = client_of(bureau_user).get(reverse("portal:user_list")).content.decode()
    for street in (street_a, street_b):
        assert re.search(rf"铁路社区 <span[^>]*>· {street.name}</span>", html)
    for compound in Compound.objects.filter(name="热电厂宿舍"):
        assert re.search(rf"热电厂宿舍 <span[^>]*>· {compound.code}</span>", html)


def test_the_account_list_is_refused_to_other_roles(client_of, street_officer):
    assert client_of(street_officer).get(reverse("portal:user_list")).status_code == 403
