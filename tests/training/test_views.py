"""The training pages: the list (search, empty state, pagination), a session, the checklist,
the missing page and the workbench cards."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.urls import reverse

from tests.signin import verified_login
from training import services

from .conftest import THIS_YEAR, make_session


def login(client, user):
    client.logout()
    return verified_login(client, user)


def test_the_list_searches_by_topic_and_says_when_nothing_is_there(
    client, community_officer, bureau_user
):
    login(client, community_officer)
    assert 'id="no-sessions"' in client.get(reverse("training:session_list")).content.decode()
    make_session(bureau_user, topic="维修资金专题")
    make_session(bureau_user, topic="业委会指导")
    page = client.get(reverse("training:session_list"), {"q": "维修"}).content.decode()
    assert "维修资金专题" in page and "业委会指导" not in page
    page = client.get(reverse("training:session_list"), {"q": "无此题目"}).content.decode()
    assert 'id="no-sessions"' in page and "维修资金专题" not in page


def test_the_list_is_paginated(client, bureau_user, django_assert_max_num_queries):
    for n in range(25):
        make_session(bureau_user, topic=f"培训{n}")
    login(client, bureau_user)
    with django_assert_max_num_queries(15):
        first = client.get(reverse("training:session_list"))
    assert first.context["page_obj"].paginator.num_pages == 2
    assert client.get(reverse("training:session_list"), {"page": "99"}).status_code == 200


def test_a_session_page_shows_materials_and_attendance(
    client, bureau_user, session, material, street_a, community_a
):
    services.attendance_record(
        user=bureau_user,
        session=session,
        streets=[street_a],
        communities=[community_a],
        offered_streets=[street_a],
        offered_communities=[community_a],
    )
    login(client, bureau_user)
    page = client.get(reverse("training:session_detail", args=[session.pk])).content.decode()
    assert "吉林市物业管理手册" in page and street_a.name in page and community_a.name in page
    assert "d-print-none" in page


def test_the_missing_page_and_the_cards(
    client, bureau_user, street_officer, session, street_a, street_b, community_a, community_b
):
    services.attendance_record(
        user=bureau_user,
        session=session,
        streets=[street_a],
        communities=[community_a],
        offered_streets=[street_a],
        offered_communities=[community_a],
    )
    with time_machine.travel(dt.datetime(THIS_YEAR, 6, 1, 10), tick=False):
        login(client, bureau_user)
        page = client.get(reverse("portal:dashboard")).content.decode()
        assert 'id="training-coverage"' in page and reverse("training:missing") in page
        missing = client.get(reverse("training:missing")).content.decode()
        assert street_b.name in missing and community_b.name in missing
        figures = client.get(reverse("training:missing")).context["figures"]
        assert (figures.streets_attended, figures.communities_attended) == (1, 1)
        login(client, street_officer)
        page = client.get(reverse("portal:dashboard")).content.decode()
        assert 'id="training-street"' in page
        missing = client.get(reverse("training:missing")).content.decode()
        assert street_b.name not in missing
