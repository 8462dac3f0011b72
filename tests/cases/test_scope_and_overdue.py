"""Who sees a case (never the public: the compound's community and street, the departments
it was sent to, the bureau; everyone else 404), and the overdue steps: red for the street,
escalated to the bureau's to-do list, measured on a frozen clock."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from cases import hooks, selectors, services
from cases.models import Case, Dispatch
from portal import workbench
from tests.signin import verified_login

from .conftest import RAISED, dispatch_of

DAY = dt.timedelta(days=1)
HOUR = dt.timedelta(hours=1)


def status_of(client, user, url):
    client.logout()
    if user is not None:
        verified_login(client, user)
    return client.get(url).status_code


# --- scope ---------------------------------------------------------------------------------------


def test_the_compounds_community_and_street_the_named_departments_and_the_bureau_see_it(
    client, whistled, community_officer, street_officer, chengguan_user, xiaofang_user, bureau_user
):
    url = reverse("cases:case_detail", args=[whistled.pk])
    for user in (community_officer, street_officer, chengguan_user, xiaofang_user, bureau_user):
        assert status_of(client, user, url) == 200, user.username


def test_everyone_else_gets_404(
    client,
    whistled,
    other_community_officer,
    other_street_officer,
    gongdian_user,
    association_user,
    firm_user,
    committee_user,
):
    url = reverse("cases:case_detail", args=[whistled.pk])
    for user in (
        other_community_officer,
        other_street_officer,
        gongdian_user,
        association_user,
        firm_user,
        committee_user,
    ):
        assert status_of(client, user, url) == 404, user.username
    assert status_of(client, None, url) == 302  # the public: to the sign-in page


def test_a_department_lists_only_the_cases_sent_to_it(
    raised, whistled, gongdian_user, chengguan_user, community_officer, compound_a, fire_lane
):
    from .conftest import raise_case

    raise_case(community_officer, compound_a, fire_lane)  # not whistled: no department sees it
    assert list(selectors.cases_for_user(user=chengguan_user)) == [whistled]
    assert not selectors.cases_for_user(user=gongdian_user).exists()


def test_a_department_reporting_on_a_dispatch_of_another_gets_404(
    client, whistled, gongdian_user, chengguan
):
    verified_login(client, gongdian_user)
    dispatch = dispatch_of(whistled, chengguan)
    url = reverse("cases:dispatch_report", args=[dispatch.pk])
    assert client.get(url).status_code == 404
    response = client.post(url, {"action": "越权", "result": "越权"})
    assert response.status_code == 404
    dispatch.refresh_from_db()
    assert dispatch.reported_at is None and Dispatch.history.count() == 2


def test_photos_open_for_readers_only(
    client, community_officer, other_street_officer, compound_a, fire_lane
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    case = services.case_raise(
        user=community_officer,
        compound=compound_a,
        category=fire_lane,
        description="堵塞",
        urgency="normal",
        photos=[SimpleUploadedFile("a.jpg", b"\xff\xd8\xff\xe0" + b"0" * 50)],
        now=RAISED,
    )
    photo = case.photos.get()
    url = reverse("portal:file", args=["case-photo", photo.pk])
    assert status_of(client, community_officer, url) == 200
    assert status_of(client, other_street_officer, url) == 404


# --- overdue steps ---------------------------------------------------------------------------------


def overdue_pks(user, now):
    return set(selectors.overdue_cases(user=user, now=now).values_list("pk", flat=True))


def test_a_review_is_overdue_after_its_deadline_and_not_before(raised, street_officer):
    assert overdue_pks(street_officer, RAISED + DAY - HOUR) == set()  # 较急: one day
    assert overdue_pks(street_officer, RAISED + DAY + HOUR) == {raised.pk}


def test_a_silent_department_makes_the_case_overdue(
    whistled, street_officer, chengguan_user, chengguan
):
    services.dispatch_report(
        user=chengguan_user,
        dispatch=dispatch_of(whistled, chengguan),
        action="清理",
        result="已清理",
        now=RAISED + DAY,
    )
    due = RAISED + 2 * HOUR + 3 * DAY
    assert overdue_pks(street_officer, due - HOUR) == set()
    assert overdue_pks(street_officer, due + HOUR) == {whistled.pk}  # 消防 is silent


def test_closing_and_confirmation_have_their_deadlines(
    whistled, street_officer, chengguan_user, xiaofang_user, chengguan, xiaofang
):
    for user, department in ((chengguan_user, chengguan), (xiaofang_user, xiaofang)):
        services.dispatch_report(
            user=user,
            dispatch=dispatch_of(whistled, department),
            action="处置",
            result="已处置",
            now=RAISED + DAY,
        )
    assert overdue_pks(street_officer, RAISED + 3 * DAY - HOUR) == set()  # close within 2 days
    assert overdue_pks(street_officer, RAISED + 3 * DAY + HOUR) == {whistled.pk}
    services.case_close(user=street_officer, case=whistled, now=RAISED + 4 * DAY)
    assert overdue_pks(street_officer, RAISED + 7 * DAY - HOUR) == set()  # confirm within 3
    assert overdue_pks(street_officer, RAISED + 7 * DAY + HOUR) == {whistled.pk}


def todos_of(user, now):
    with time_machine.travel(now, tick=False):
        return {item.label: item for item in workbench.todos_for(user, now.date())}


def test_an_overdue_step_is_red_for_the_street_and_escalated_to_the_bureau(
    raised, street_officer, bureau_user, other_street_officer
):
    later = RAISED + 2 * DAY  # the review was due after one day
    to_case = reverse("cases:case_detail", args=[raised.pk])
    street = [item for item in todos_of(street_officer, later).values() if item.url == to_case]
    assert street and all(item.overdue == 1 for item in street)  # to review, and overdue
    bureau = [item for item in todos_of(bureau_user, later).values() if item.url == to_case]
    assert [(item.count, item.overdue) for item in bureau] == [(1, 1)]
    others = todos_of(other_street_officer, later).values()
    assert not any(item.url.startswith("/cases/") for item in others)


def test_nothing_is_escalated_before_the_deadline(raised, bureau_user):
    bureau = todos_of(bureau_user, RAISED + HOUR)
    assert not any(item.url.startswith("/cases/") for item in bureau.values())


def test_the_bureau_workbench_shows_the_escalation_in_red(client, raised, bureau_user):
    with time_machine.travel(RAISED + 2 * DAY, tick=False):
        verified_login(client, bureau_user)
        page = client.get(reverse("portal:dashboard")).content.decode()
    assert reverse("cases:case_detail", args=[raised.pk]) in page
    assert "text-bg-danger" in page


def test_the_department_sees_its_reports_to_make(whistled, chengguan_user):
    items = list(hooks.case_todos(chengguan_user, RAISED.date()))
    assert [item.count for item in items] == [1]
    assert items[0].due == dispatch_of(whistled, whistled.dispatches.first().department).due


def test_an_overdue_case_stays_where_it_is(raised, street_officer):
    """No approval by silence: passing the deadline escalates, it does not decide."""
    with time_machine.travel(RAISED + 60 * DAY, tick=False):
        assert overdue_pks(street_officer, RAISED + 60 * DAY) == {raised.pk}
        assert Case.objects.get(pk=raised.pk).state == "raised"


@pytest.mark.parametrize("url_name", ["cases:case_list", "cases:figures"])
def test_the_public_is_sent_to_sign_in(client, url_name):
    assert client.get(reverse(url_name)).status_code == 302


def test_the_bar_links_the_cases_to_their_readers_only(
    chengguan_user, street_officer, bureau_user, firm_user, association_user
):
    from portal.menu import menu_for

    def urls(user):
        return {e.url for e in menu_for(user)} | {
            link.url for e in menu_for(user) for link in e.links
        }

    for user in (chengguan_user, street_officer, bureau_user):
        assert reverse("cases:case_list") in urls(user)
    assert reverse("cases:figures") in urls(bureau_user)
    assert reverse("cases:figures") not in urls(street_officer)
    for user in (firm_user, association_user):
        assert reverse("cases:case_list") not in urls(user)
