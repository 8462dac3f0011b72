"""Searchable pickers: the server finds what the user may pick, named with street and code."""

from __future__ import annotations

from django.urls import reverse

from portal.forms import UserForm
from tests.factories import CompoundFactory


def _pick(client, kind: str, q: str = ""):
    return client.get(reverse("portal:pick", args=[kind]), {"q": q})


def test_a_compound_is_found_by_a_fragment_and_named_with_its_street_and_code(
    client_of, bureau_user, compound_a
):
    data = _pick(client_of(bureau_user), "compound", "东苑").json()
    assert data["results"] == [
        {
            "value": compound_a.pk,
            "text": f"东苑小区 · {compound_a.community.street.name} · {compound_a.code}",
        }
    ]


def test_an_officer_picks_only_from_their_own_street(
    client_of, street_officer, compound_a, compound_b
):
    found = {r["value"] for r in _pick(client_of(street_officer), "compound").json()["results"]}
    assert compound_a.pk in found
    assert compound_b.pk not in found


def test_communities_name_their_street_to_tell_namesakes_apart(
    client_of, bureau_user, community_a, community_b
):
    community_b.name = community_a.name  # two 东一社区 in different streets
    community_b.save()
    texts = [
        r["text"] for r in _pick(client_of(bureau_user), "community", "东一").json()["results"]
    ]
    assert len(texts) == 2 and len(set(texts)) == 2
    assert all(" · " in text for text in texts)


def test_a_long_list_comes_a_page_at_a_time(client_of, bureau_user, community_a):
    CompoundFactory.create_batch(25, community=community_a, name="花园小区")
    data = _pick(client_of(bureau_user), "compound", "花园").json()
    assert len(data["results"]) == 20 and data["more"] is True


def test_nul_and_overlong_queries_are_answered_not_failed(client_of, bureau_user, compound_a):
    client = client_of(bureau_user)
    assert _pick(client, "compound", "东\x00苑").status_code == 400  # refused before the view
    assert _pick(client, "compound", "东苑" + "x" * 5000).status_code == 200


def test_visitors_and_unknown_kinds_are_refused(client, client_of, bureau_user, db):
    assert _pick(client, "compound").status_code == 302
    assert _pick(client_of(bureau_user), "nothing").status_code == 404


def test_the_account_form_renders_only_the_chosen_compound(committee_user, compound_a, compound_b):
    html = str(UserForm(instance=committee_user)["compound"])
    assert 'data-picker="/pick/compound/"' in html
    assert compound_a.code in html
    assert compound_b.code not in html  # the others come from the server, on demand
