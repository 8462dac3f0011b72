"""Commendation and rectification notices after publication; spot checks of the black list."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from credit import publication as services
from credit import rectification
from credit.models import CreditNotice, NoticeKind, NoticeStatus

from .publishing import T0, code_of, open_publicity, pdf, rated_run

ISSUED = T0 + dt.timedelta(days=10)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def publication(bureau_user, compound_a, compound_b, django_capture_on_commit_callbacks):
    run = rated_run(compound_a, compound_b, django_capture_on_commit_callbacks)
    with time_machine.travel(T0, tick=False):
        return open_publicity(bureau_user, run)


@pytest.fixture
def published(bureau_user, publication):
    with time_machine.travel(T0 + dt.timedelta(days=8), tick=False):
        services.publication_publish(user=bureau_user, publication=publication)
    return publication


@pytest.fixture
def notices(bureau_user, published):
    with time_machine.travel(ISSUED, tick=False):
        services.notices_issue(user=bureau_user, publication=published)
    return {n.kind: n for n in CreditNotice.objects.all()}


def test_notices_are_refused_before_publication(bureau_user, publication):
    with pytest.raises(ValidationError) as exc:
        services.notices_issue(user=bureau_user, publication=publication)
    assert code_of(exc.value) == "not_published"


def test_one_service_issues_every_notice_once(
    bureau_user, published, notices, compound_a, compound_b
):
    commendation = notices[NoticeKind.COMMENDATION]
    rect = notices[NoticeKind.RECTIFICATION]
    assert commendation.firm == compound_a.firm and commendation.deadline is None
    assert rect.firm == compound_b.firm
    assert rect.deadline == dt.date(2024, 3, 11) + dt.timedelta(days=30)
    assert rect.extra_spot_checks and not commendation.extra_spot_checks
    assert rect.history.count() == 1
    assert services.notices_issue(user=bureau_user, publication=published) == 0
    assert CreditNotice.objects.count() == 2


def test_the_firm_answers_its_rectification_notice(client_of, other_firm_user, notices):
    notice = notices[NoticeKind.RECTIFICATION]
    response = client_of(other_firm_user).post(
        reverse("credit:notice_respond", args=[notice.pk]),
        {"text": "已完成整改", "files": [pdf("report.pdf")]},
    )
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.ANSWERED
    assert notice.response == "已完成整改"
    (round_,) = notice.rounds.all()
    assert [e.name for e in round_.evidence.all()] == ["report.pdf"]


def test_another_firm_cannot_see_or_answer_a_notice(client_of, firm_user, notices):
    notice = notices[NoticeKind.RECTIFICATION]
    client = client_of(firm_user)
    assert client.get(reverse("credit:notice_detail", args=[notice.pk])).status_code == 404
    response = client.post(reverse("credit:notice_respond", args=[notice.pk]), {"text": "x"})
    assert response.status_code == 404
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.ISSUED


def test_the_notice_page_is_printable(client_of, other_firm_user, notices):
    notice = notices[NoticeKind.RECTIFICATION]
    response = client_of(other_firm_user).get(reverse("credit:notice_detail", args=[notice.pk]))
    assert response.status_code == 200
    assert b"credit/notice.css" in response.content and b"data-print" in response.content
    assert response.context["answer_form"] is not None


def test_the_bureau_accepts_the_answer_and_nothing_more(bureau_user, other_firm_user, notices):
    notice = notices[NoticeKind.RECTIFICATION]
    rectification.notice_respond(user=other_firm_user, notice=notice, text="已整改")
    notice = rectification.notice_reinspect(
        user=bureau_user, notice=notice, verdict="accepted", reasons="checked on site"
    )
    assert notice.status == NoticeStatus.RECTIFIED and notice.closed_by == bureau_user
    with pytest.raises(ValidationError) as exc:
        rectification.notice_close(user=bureau_user, notice=notice)
    assert code_of(exc.value) == "closed"


def test_overdue_only_after_the_deadline(bureau_user, notices):
    notice = notices[NoticeKind.RECTIFICATION]
    with (
        time_machine.travel(ISSUED + dt.timedelta(days=5), tick=False),
        pytest.raises(ValidationError) as exc,
    ):
        rectification.notice_close(user=bureau_user, notice=notice, outcome=NoticeStatus.OVERDUE)
    assert code_of(exc.value) == "not_overdue"
    with time_machine.travel(ISSUED + dt.timedelta(days=32), tick=False):
        notice = rectification.notice_close(
            user=bureau_user, notice=notice, outcome=NoticeStatus.OVERDUE
        )
    assert notice.status == NoticeStatus.OVERDUE


def test_spot_check_list_shows_the_black_list_firms(client_of, bureau_user, notices, compound_b):
    response = client_of(bureau_user).get(reverse("credit:spot_check_list"))
    assert response.status_code == 200
    assert [n.firm for n in response.context["page_obj"]] == [compound_b.firm]


def test_bureau_issues_notices_from_the_page(client_of, bureau_user, published):
    response = client_of(bureau_user).post(reverse("credit:notices_issue", args=[published.pk]))
    assert response.status_code == 302
    assert CreditNotice.objects.count() == 2


def test_the_notice_list_shows_the_notices_past_their_deadline(
    client_of, bureau_user, other_firm_user, notices
):
    late_notice = notices[NoticeKind.RECTIFICATION]
    # Signed in again at each moment: a session ends after a working day.
    with time_machine.travel(ISSUED + dt.timedelta(days=5), tick=False):
        client = client_of(bureau_user)
        response = client.get(reverse("credit:notice_list"), {"state": "late"})
        assert list(response.context["page_obj"]) == []
    with time_machine.travel(ISSUED + dt.timedelta(days=32), tick=False):
        client = client_of(bureau_user)
        response = client.get(reverse("credit:notice_list"), {"state": "late"})
        assert list(response.context["page_obj"]) == [late_notice]
        assert "已过期限" in response.content.decode()
        open_ones = client.get(reverse("credit:notice_list"), {"state": "open"})
        assert len(open_ones.context["page_obj"]) == 1  # a commendation is never open
    rectification.notice_respond(user=other_firm_user, notice=late_notice, text="已整改")
    answered = client_of(bureau_user).get(reverse("credit:notice_list"), {"state": "answered"})
    assert list(answered.context["page_obj"]) == [late_notice]


def test_a_firm_filters_its_own_notices_only(client_of, firm_user, notices):
    response = client_of(firm_user).get(reverse("credit:notice_list"), {"state": "open"})
    assert response.status_code == 200
    assert list(response.context["page_obj"]) == []  # the D firm's notice is not its own


def test_the_notice_list_does_not_exist_for_committees(client_of, committee_user):
    response = client_of(committee_user).get(reverse("credit:notice_list"))
    assert response.status_code == 404


def test_a_street_officer_lists_only_the_notices_delegated_to_the_street(
    client_of, street_officer, notices
):
    response = client_of(street_officer).get(reverse("credit:notice_list"))
    assert response.status_code == 200
    assert list(response.context["page_obj"]) == []


def test_the_notice_keeps_the_firms_answers_in_its_history(
    client_of, bureau_user, other_firm_user, notices
):
    notice = notices[NoticeKind.RECTIFICATION]
    rectification.notice_respond(user=other_firm_user, notice=notice, text="first")
    rectification.notice_reinspect(
        user=bureau_user, notice=notice, verdict="sent_back", reasons="incomplete"
    )
    rectification.notice_respond(user=other_firm_user, notice=notice, text="second")
    html = client_of(bureau_user).get(reverse("credit:notice_detail", args=[notice.pk]))
    lines = html.content.decode().count('class="list-group-item history-entry"')
    assert lines == 4  # issued, answered, sent back, answered again
    assert html.content.decode().count('class="card mb-3 notice-round"') == 2
