"""The bar: each role sees the links it may open, built without a query."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from portal import menu


def _urls(entries) -> list[str]:
    return [e.url for e in entries if not e.is_group] + [
        link.url for e in entries if e.is_group for link in e.links
    ]


def test_visitors_see_the_public_pages_on_the_bar(db):
    entries = menu.menu_for(AnonymousUser())
    assert not any(entry.is_group for entry in entries)
    assert reverse("credit:redblack") in _urls(entries)
    assert reverse("portal:dashboard") not in _urls(entries)


def test_signed_in_users_find_the_public_pages_in_a_group_of_their_own(bureau_user):
    entries = menu.menu_for(bureau_user)
    public = [e for e in entries if e.label == str(menu.PUBLIC)]
    assert len(public) == 1 and reverse("credit:redblack") in _urls(public)


def test_the_workbench_comes_first_for_everyone(
    bureau_user, street_officer, community_officer, association_user, firm_user, committee_user
):
    for user in (bureau_user, street_officer, community_officer, association_user, firm_user):
        assert menu.menu_for(user)[0].url == reverse("portal:dashboard")
    assert menu.menu_for(firm_user)[0].label == "企业首页"
    assert menu.menu_for(committee_user)[0].label == "小区首页"
    assert menu.menu_for(bureau_user)[0].label == "工作台"


def test_the_bar_is_built_from_the_role_alone(bureau_user, django_assert_num_queries):
    with django_assert_num_queries(0):
        menu.menu_for(bureau_user)


def test_accounts_and_rule_sets_are_for_the_bureau_only(bureau_user, street_officer, firm_user):
    for url_name in ("portal:user_list", "credit:rule_set_list"):
        assert reverse(url_name) in _urls(menu.menu_for(bureau_user))
        assert reverse(url_name) not in _urls(menu.menu_for(street_officer))
        assert reverse(url_name) not in _urls(menu.menu_for(firm_user))


def test_a_group_of_one_link_is_a_plain_link(bureau_user):
    proposals = [
        e for e in menu.menu_for(bureau_user) if e.url == reverse("proposals:proposal_list")
    ]
    assert len(proposals) == 1 and not proposals[0].is_group


@pytest.mark.parametrize(
    "who",
    [
        "bureau_user",
        "association_user",
        "street_officer",
        "community_officer",
        "firm_user",
        "committee_user",
    ],
)
def test_every_link_on_a_roles_bar_opens_for_it(who, request, client_of, compound_a):
    user = request.getfixturevalue(who)
    client = client_of(user)
    for url in _urls(menu.menu_for(user)):
        assert client.get(url).status_code == 200, url
