"""Who may record what: the bureau everything, a street officer their own street and its
communities, nobody else; a refused request writes nothing. The materials are read by every
signed-in user and never by the public."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.signin import verified_login
from training import services
from training.models import Attendance, Session


def login(client, user):
    client.logout()
    return verified_login(client, user)


def test_a_street_officer_records_their_street_and_its_communities(
    client, street_officer, session, street_a, community_a, community_a2
):
    login(client, street_officer)
    url = reverse("training:attendance", args=[session.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert f'value="{community_a2.pk}"' in page.content.decode()
    response = client.post(url, {"streets": [street_a.pk], "communities": [community_a.pk]})
    assert response.status_code == 302
    assert set(Attendance.objects.values_list("street_id", "community_id")) == {
        (street_a.pk, None),
        (None, community_a.pk),
    }
    # Unticking removes the record, and the history keeps it.
    client.post(url, {"streets": [street_a.pk]})
    assert not Attendance.objects.filter(community=community_a).exists()
    assert Attendance.history.filter(community=community_a, history_type="-").exists()


def test_a_street_officer_may_not_record_another_streets_attendance(
    client, street_officer, session, street_b, community_b
):
    login(client, street_officer)
    url = reverse("training:attendance", args=[session.pk])
    response = client.post(url, {"streets": [street_b.pk], "communities": [community_b.pk]})
    assert response.status_code == 400
    assert not Attendance.objects.exists()
    assert str(street_b.pk) not in client.get(url).content.decode().split('name="streets"')[-1][:20]


def test_the_service_refuses_another_street_and_writes_nothing(
    street_officer, session, street_a, community_a, community_b
):
    with pytest.raises(ValidationError):
        services.attendance_record(
            user=street_officer,
            session=session,
            communities=[community_a, community_b],
            offered_communities=[community_a, community_b],
        )
    assert not Attendance.objects.exists()


def test_a_street_officer_may_not_record_firms(street_officer, session, firm_a):
    with pytest.raises(ValidationError):
        services.firm_attendance_add(user=street_officer, session=session, firm=firm_a)
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("who", ["community_officer", "firm_user", "committee_user"])
def test_community_officers_and_firms_record_nothing(
    request, client, who, session, street_a, community_a, firm_a
):
    user = request.getfixturevalue(who)
    login(client, user)
    assert client.get(reverse("training:attendance", args=[session.pk])).status_code == 404
    response = client.post(
        reverse("training:attendance", args=[session.pk]),
        {"streets": [street_a.pk], "communities": [community_a.pk]},
    )
    assert response.status_code == 404
    response = client.post(reverse("training:firm_add", args=[session.pk]), {"firm": firm_a.pk})
    assert response.status_code == 404
    with pytest.raises(ValidationError):
        services.attendance_record(user=user, session=session, communities=[community_a])
    assert not Attendance.objects.exists()


def test_the_bureau_records_a_firm_and_the_firm_sees_it(
    client, bureau_user, firm_user, other_firm_user, session, firm_a
):
    login(client, bureau_user)
    response = client.post(reverse("training:firm_add", args=[session.pk]), {"firm": firm_a.pk})
    assert response.status_code == 302
    login(client, firm_user)
    assert (
        "firm-attendance"
        in client.get(reverse("training:session_detail", args=[session.pk])).content.decode()
    )
    page = client.get(reverse("training:session_list")).content.decode()
    assert "badge text-bg-success" in page
    login(client, other_firm_user)
    page = client.get(reverse("training:session_list")).content.decode()
    assert "badge text-bg-success" not in page and "badge text-bg-secondary" in page


def test_only_the_bureau_creates_and_edits_sessions(client, bureau_user, street_officer, session):
    data = {"topic": "改过的题目", "date": "2026-03-21", "organiser": "市住建局", "place": ""}
    login(client, street_officer)
    assert client.post(reverse("training:session_create"), data).status_code == 404
    assert client.post(reverse("training:session_edit", args=[session.pk]), data).status_code == 404
    assert Session.objects.count() == 1 and Session.objects.get().topic != "改过的题目"
    login(client, bureau_user)
    assert client.post(reverse("training:session_edit", args=[session.pk]), data).status_code == 302
    session.refresh_from_db()
    assert session.topic == "改过的题目"
    assert session.history.count() == 2  # created, edited


@pytest.mark.parametrize(
    "who", ["bureau_user", "street_officer", "community_officer", "firm_user", "committee_user"]
)
def test_every_signed_in_user_reads_a_material(request, client, who, material):
    login(client, request.getfixturevalue(who))
    response = client.get(reverse("portal:file", args=["training-material", material.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


def test_an_anonymous_visitor_gets_no_material_nor_session(client, material, session):
    response = client.get(reverse("portal:file", args=["training-material", material.pk]))
    assert response.status_code == 302 and "login" in response["Location"]
    response = client.get(reverse("training:session_detail", args=[session.pk]))
    assert response.status_code == 302


def test_a_material_upload_by_a_street_officer_is_refused(client, street_officer, session):
    from django.core.files.uploadedfile import SimpleUploadedFile

    login(client, street_officer)
    response = client.post(
        reverse("training:material_add", args=[session.pk]),
        {"title": "x", "file": SimpleUploadedFile("x.pdf", b"%PDF-1.4")},
    )
    assert response.status_code == 404
    assert not session.materials.exists()


def test_the_bureau_adds_a_material_and_removes_a_firm(client, bureau_user, session, firm_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from training.pdf import text_pdf

    login(client, bureau_user)
    response = client.post(
        reverse("training:material_add", args=[session.pk]),
        {
            "title": "业主大会、业主委员会业务指导手册",
            "file": SimpleUploadedFile("h.pdf", text_pdf(["手册"])),
        },
    )
    assert response.status_code == 302 and session.materials.count() == 1
    response = client.post(
        reverse("training:material_add", args=[session.pk]),
        {"title": "脚本", "file": SimpleUploadedFile("x.html", b"<script>")},
    )
    assert response.status_code == 400 and session.materials.count() == 1
    services.firm_attendance_add(user=bureau_user, session=session, firm=firm_a)
    response = client.post(reverse("training:firm_remove", args=[session.pk, firm_a.pk]))
    assert response.status_code == 302 and not session.attendances.exists()
