"""The case pages, as each person uses them: one success and one refusal per action; a
refused request writes nothing."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.choices import CaseState
from cases.models import Case, Dispatch
from credit.models import CreditEvent
from tests.signin import verified_login

from .conftest import dispatch_of

JPEG = b"\xff\xd8\xff\xe0" + b"0" * 100


def login(client, user):
    client.logout()
    return verified_login(client, user)


def test_a_community_officer_raises_a_warning_from_the_phone_form(
    client, community_officer, compound_a, fire_lane
):
    login(client, community_officer)
    assert client.get(reverse("cases:case_create")).status_code == 200
    response = client.post(
        reverse("cases:case_create"),
        {
            "compound": compound_a.pk,
            "category": fire_lane.pk,
            "urgency": "critical",
            "description": "消防通道堵塞",
            "photos": SimpleUploadedFile("a.jpg", JPEG, content_type="image/jpeg"),
        },
    )
    case = Case.objects.get()
    assert response["Location"] == reverse("cases:case_detail", args=[case.pk])
    assert case.photos.count() == 1 and case.urgency == "critical"


def test_the_form_offers_no_compound_outside_the_community(
    client, community_officer, compound_b, fire_lane
):
    login(client, community_officer)
    response = client.post(
        reverse("cases:case_create"),
        {
            "compound": compound_b.pk,
            "category": fire_lane.pk,
            "urgency": "normal",
            "description": "越界",
        },
    )
    assert response.status_code == 200 and not Case.objects.exists()


def test_only_community_officers_open_the_warning_form(client, street_officer):
    login(client, street_officer)
    assert client.get(reverse("cases:case_create")).status_code == 404


def test_the_street_whistles_from_the_case_page(
    client, raised, street_officer, chengguan, xiaofang
):
    login(client, street_officer)
    page = client.get(reverse("cases:case_detail", args=[raised.pk])).content.decode()
    assert 'id="review"' in page
    response = client.post(
        reverse("cases:case_whistle", args=[raised.pk]),
        {"departments": [chengguan.pk, xiaofang.pk], "whistle_note": "请处置"},
    )
    assert response.status_code == 302
    assert Dispatch.objects.filter(case=raised).count() == 2


def test_a_whistle_to_nobody_shows_the_refusal_and_writes_nothing(client, raised, street_officer):
    login(client, street_officer)
    response = client.post(reverse("cases:case_whistle", args=[raised.pk]), {"whistle_note": "x"})
    assert response.status_code == 200
    assert "至少" in response.content.decode() or "department" in response.content.decode()
    assert not Dispatch.objects.exists()
    raised.refresh_from_db()
    assert raised.state == CaseState.RAISED


def test_another_street_cannot_even_see_the_case_to_whistle(
    client, raised, other_street_officer, chengguan
):
    login(client, other_street_officer)
    response = client.post(
        reverse("cases:case_whistle", args=[raised.pk]), {"departments": [chengguan.pk]}
    )
    assert response.status_code == 404 and not Dispatch.objects.exists()


def test_the_street_handles_it_itself(client, raised, street_officer):
    login(client, street_officer)
    response = client.post(
        reverse("cases:case_handle", args=[raised.pk]), {"handle_note": "已协调"}
    )
    assert response.status_code == 302
    raised.refresh_from_db()
    assert raised.state == CaseState.CLOSED


def test_a_department_reports_on_its_phone(client, whistled, chengguan_user, chengguan):
    login(client, chengguan_user)
    listing = client.get(reverse("cases:case_list")).content.decode()
    dispatch = dispatch_of(whistled, chengguan)
    url = reverse("cases:dispatch_report", args=[dispatch.pk])
    assert url in listing
    response = client.post(url, {"action": "劝离车辆", "result": "通道已畅通"})
    assert response.status_code == 302
    dispatch.refresh_from_db()
    assert dispatch.reported_by == chengguan_user


def test_a_second_report_through_the_page_is_refused(client, whistled, chengguan_user, chengguan):
    login(client, chengguan_user)
    url = reverse("cases:dispatch_report", args=[dispatch_of(whistled, chengguan).pk])
    client.post(url, {"action": "a", "result": "b"})
    response = client.post(url, {"action": "c", "result": "d"})
    assert response.status_code == 200
    assert dispatch_of(whistled, chengguan).result == "b"


def test_closing_with_a_silent_department_is_refused_on_the_page(
    client, whistled, street_officer, chengguan_user, chengguan
):
    login(client, chengguan_user)
    client.post(
        reverse("cases:dispatch_report", args=[dispatch_of(whistled, chengguan).pk]),
        {"action": "a", "result": "b"},
    )
    login(client, street_officer)
    response = client.post(reverse("cases:case_close", args=[whistled.pk]), {"close_note": ""})
    assert response.status_code == 200 and "消防" in response.content.decode()
    whistled.refresh_from_db()
    assert whistled.state == CaseState.WHISTLED


def test_the_community_reopens_with_reasons(client, raised, street_officer, community_officer):
    login(client, street_officer)
    client.post(reverse("cases:case_handle", args=[raised.pk]), {"handle_note": "已协调"})
    login(client, community_officer)
    refused = client.post(
        reverse("cases:case_confirm", args=[raised.pk]), {"resolved": "no", "confirm_note": ""}
    )
    assert refused.status_code == 200
    raised.refresh_from_db()
    assert raised.state == CaseState.CLOSED
    client.post(
        reverse("cases:case_confirm", args=[raised.pk]),
        {"resolved": "no", "confirm_note": "仍堵塞"},
    )
    raised.refresh_from_db()
    assert (raised.state, raised.round) == (CaseState.RAISED, 2)


def test_the_bureau_records_the_credit_event_in_one_action(
    client, raised, street_officer, community_officer, bureau_user
):
    login(client, street_officer)
    client.post(reverse("cases:case_handle", args=[raised.pk]), {"handle_note": "已协调"})
    login(client, community_officer)
    client.post(
        reverse("cases:case_confirm", args=[raised.pk]), {"resolved": "yes", "confirm_note": ""}
    )
    login(client, bureau_user)
    page = client.get(reverse("cases:case_detail", args=[raised.pk])).content.decode()
    assert 'id="credit"' in page and 'value="2.00"' in page
    client.post(reverse("cases:case_credit", args=[raised.pk]), {"points": "3", "reason": ""})
    raised.refresh_from_db()
    assert raised.credit_event.points == 3
    page = client.get(reverse("cases:case_detail", args=[raised.pk])).content.decode()
    assert reverse("credit:event_edit", args=[raised.credit_event.pk]) in page


def test_a_street_cannot_record_the_credit_event(client, raised, street_officer):
    login(client, street_officer)
    response = client.post(reverse("cases:case_credit", args=[raised.pk]), {"points": "3"})
    assert response.status_code == 200 and not CreditEvent.objects.exists()


def test_the_list_filters_overdue_cases(client, raised, street_officer):
    import time_machine

    from .conftest import RAISED

    login(client, street_officer)
    with time_machine.travel(RAISED + dt.timedelta(days=3), tick=False):
        page = client.get(reverse("cases:case_list"), {"overdue": "on"}).content.decode()
    assert reverse("cases:case_detail", args=[raised.pk]) in page
    assert "list-group-item-danger" in page


def test_the_list_is_closed_to_firms(client, firm_user):
    login(client, firm_user)
    assert client.get(reverse("cases:case_list")).status_code == 404


def test_an_absurd_department_id_is_refused_not_a_500(client, raised, street_officer):
    login(client, street_officer)
    response = client.post(
        reverse("cases:case_whistle", args=[raised.pk]), {"departments": [str(10**20)]}
    )
    assert response.status_code == 200 and not Dispatch.objects.exists()
