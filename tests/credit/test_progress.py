"""The progress page: compounds assessed per street and community, the missing ones (the
bureau's and the association's of the city, an officer's of the own area), and the bureau's
reminder e-mail to the laggards only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from credit.services import assessment_window_open
from portal.choices import Role
from tests.factories import CommunityFactory, CompoundFactory, StreetFactory, UserFactory

from .helpers import assess

YEAR = 2023


@pytest.fixture
def city(compound_a, compound_b):
    """Street A: compound_a (scored by street and community) and a2 (scored by nobody).
    Street B: compound_b (scored by its street officer only)."""
    a2 = CompoundFactory(community=compound_a.community, name="东二小区")
    assess(YEAR, compound_a, compound_a.firm, "quality", "street", 80)
    assess(YEAR, compound_a, compound_a.firm, "contract", "community", 70)
    assess(YEAR, compound_b, compound_b.firm, "quality", "street", 60)
    assess(YEAR - 1, a2, a2.firm, "quality", "street", 60)  # another year does not count
    CompoundFactory(community=compound_a.community, firm=None)  # no firm: nothing to assess
    return {"a2": a2}


def progress_url(year: int = YEAR) -> str:
    return reverse("credit:progress", args=[year])


def test_progress_counts_per_street_and_community(client_of, bureau_user, city, compound_a):
    response = client_of(bureau_user).get(progress_url())
    assert response.status_code == 200
    streets = {s.name: (s.assessed, s.total) for s in response.context["progress"].streets}
    assert streets == {"东街道": (1, 2), "西街道": (1, 1)}
    communities = {c.name: (c.assessed, c.total) for c in response.context["progress"].communities}
    assert communities == {"东一社区": (1, 2), "西一社区": (0, 1)}
    missing = list(response.context["page_obj"])
    assert {c.name for c in missing} == {"西苑小区", "东二小区"}
    assert compound_a not in missing


def test_the_missing_list_filters_by_street(client_of, bureau_user, city, compound_a):
    response = client_of(bureau_user).get(
        progress_url(), {"street": compound_a.community.street_id}
    )
    assert [c.pk for c in response.context["page_obj"]] == [city["a2"].pk]
    assert [c.name for c in response.context["progress"].communities] == ["东一社区"]


def test_progress_uses_a_fixed_number_of_queries(
    client_of, bureau_user, city, django_assert_max_num_queries
):
    for _ in range(30):
        community = CommunityFactory(street=StreetFactory())
        CompoundFactory.create_batch(2, community=community)
    client = client_of(bureau_user)
    client.get(progress_url())
    with django_assert_max_num_queries(19):
        response = client.get(progress_url())
    assert len(response.context["progress"].streets) == 32


@pytest.mark.parametrize("who", ["firm_user", "committee_user"])
def test_firms_and_committees_do_not_follow_the_progress(client_of, city, who, request):
    assert client_of(request.getfixturevalue(who)).get(progress_url()).status_code == 403


@pytest.mark.parametrize(
    "who", ["street_officer", "community_officer", "association_user", "firm_user"]
)
def test_only_bureau_staff_send_reminders(client_of, city, who, request, mailoutbox):
    client = client_of(request.getfixturevalue(who))
    response = client.post(reverse("credit:progress_remind", args=[YEAR]), {"level": "both"})
    assert response.status_code == 403
    assert mailoutbox == []


def test_a_street_officer_sees_the_progress_of_the_own_street_only(
    client_of, street_officer, city, compound_a, compound_b
):
    response = client_of(street_officer).get(progress_url())
    assert response.status_code == 200
    assert [(s.name, s.assessed, s.total) for s in response.context["progress"].streets] == [
        ("东街道", 1, 2)
    ]
    assert [(c.name, c.assessed, c.total) for c in response.context["progress"].communities] == [
        ("东一社区", 1, 2)
    ]
    assert [c.pk for c in response.context["page_obj"]] == [city["a2"].pk]
    assert response.context["remind_form"] is None
    html = response.content.decode()
    assert "西街道" not in html and compound_b.name not in html
    assert reverse("credit:progress_remind", args=[YEAR]) not in html


def test_an_officer_never_sees_another_streets_figures(
    client_of, other_street_officer, street_officer, city, compound_a
):
    """Asking for street A's compounds by address gives street B's officer nothing of them."""
    response = client_of(other_street_officer).get(
        progress_url(), {"street": compound_a.community.street_id}
    )
    assert response.status_code == 200
    assert [s.name for s in response.context["progress"].streets] == ["西街道"]
    assert list(response.context["page_obj"]) == []
    html = response.content.decode()
    assert "东街道" not in html and city["a2"].name not in html


def test_a_community_officer_sees_the_own_community_only(
    client_of, community_officer, city, compound_b
):
    response = client_of(community_officer).get(progress_url())
    assert response.status_code == 200
    assert [(c.name, c.assessed, c.total) for c in response.context["progress"].communities] == [
        ("东一社区", 1, 2)
    ]
    # The street row counts the compounds of the officer's own community only.
    assert [(s.name, s.total) for s in response.context["progress"].streets] == [("东街道", 2)]
    assert compound_b.name not in response.content.decode()


def test_officers_find_the_progress_from_the_window_list(
    client_of, street_officer, firm_user, committee_user, city
):
    assessment_window_open(user=None, year=YEAR)
    html = client_of(street_officer).get(reverse("credit:window_list")).content.decode()
    assert progress_url() in html
    html = client_of(committee_user).get(reverse("credit:window_list")).content.decode()
    assert progress_url() not in html


def test_reminders_go_only_to_the_street_officers_of_laggard_streets(
    client_of,
    bureau_user,
    city,
    street_officer,
    street_colleague,
    other_street_officer,
    community_officer,
    mailoutbox,
):
    street_officer.email = "a@example.org"
    street_officer.save()
    other_street_officer.email = "b@example.org"  # street B has scored all its compounds
    other_street_officer.save()
    # street_colleague has no e-mail address; community_officer is of another level.
    community_officer.email = "c@example.org"
    community_officer.save()
    UserFactory(
        role=Role.STREET, street=street_officer.street, email="gone@example.org", is_active=False
    )
    response = client_of(bureau_user).post(
        reverse("credit:progress_remind", args=[YEAR]), {"level": "street"}
    )
    assert response.status_code == 302
    assert [m.to for m in mailoutbox] == [["a@example.org"]]
    assert "1" in mailoutbox[0].subject and str(YEAR) in mailoutbox[0].subject


def test_reminders_to_both_levels(
    client_of,
    bureau_user,
    city,
    street_officer,
    community_officer,
    other_community_officer,
    mailoutbox,
):
    for user, email in (
        (street_officer, "a@example.org"),
        (community_officer, "ca@example.org"),
        (other_community_officer, "cb@example.org"),
    ):
        user.email = email
        user.save()
    client_of(bureau_user).post(reverse("credit:progress_remind", args=[YEAR]), {"level": "both"})
    assert sorted(m.to[0] for m in mailoutbox) == [
        "a@example.org",
        "ca@example.org",
        "cb@example.org",
    ]


def test_no_laggards_no_mail(client_of, bureau_user, compound_a, street_officer, mailoutbox):
    street_officer.email = "a@example.org"
    street_officer.save()
    assess(YEAR, compound_a, compound_a.firm, "quality", "street", 80)
    response = client_of(bureau_user).post(
        reverse("credit:progress_remind", args=[YEAR]), {"level": "street"}
    )
    assert response.status_code == 302
    assert mailoutbox == []
