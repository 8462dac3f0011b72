"""Objections (异议): a firm against its own rating, during the publicity period only."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from credit import publication as services
from credit.models import Objection, ObjectionAttachment, ObjectionStatus

from .publishing import T0, code_of, open_publicity, pdf, rating_of

DURING = T0 + dt.timedelta(days=2)
AFTER = T0 + dt.timedelta(days=7, seconds=1)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def publication(bureau_user, run):
    with time_machine.travel(T0, tick=False):
        return open_publicity(bureau_user, run)


def _object_url(publication, rating):
    return reverse("credit:objection_create", args=[publication.pk, rating.pk])


def test_a_firm_files_an_objection_with_attachments(client_of, firm_user, publication, run):
    rating = rating_of(run, firm_user.firm)
    with time_machine.travel(DURING, tick=False):
        response = client_of(firm_user).post(
            _object_url(publication, rating),
            {"text": "东苑小区的评分有误", "attachments": [pdf("a.pdf"), pdf("b.pdf")]},
        )
    objection = Objection.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("credit:objection_detail", args=[objection.pk])
    assert objection.firm == firm_user.firm and objection.rating == rating
    assert objection.status == ObjectionStatus.PENDING
    assert sorted(a.name for a in objection.attachments.all()) == ["a.pdf", "b.pdf"]
    assert objection.history.count() == 1


def test_another_firms_rating_cannot_be_objected_to(
    client_of, other_firm_user, firm_user, publication, run
):
    rating = rating_of(run, firm_user.firm)
    with time_machine.travel(DURING, tick=False):
        client = client_of(other_firm_user)
        assert client.get(_object_url(publication, rating)).status_code == 404
        response = client.post(_object_url(publication, rating), {"text": "not ours"})
    assert response.status_code == 404
    assert not Objection.objects.exists()


def test_the_service_refuses_an_objection_by_another_firm(
    other_firm_user, firm_user, publication, run
):
    with time_machine.travel(DURING, tick=False), pytest.raises(ValidationError) as exc:
        services.objection_file(
            user=other_firm_user,
            publication=publication,
            rating=rating_of(run, firm_user.firm),
            text="x",
        )
    assert code_of(exc.value) == "not_own"


@pytest.mark.parametrize("when", [T0 - dt.timedelta(seconds=1), AFTER], ids=["before", "after"])
def test_an_objection_outside_the_period_is_refused(client_of, firm_user, publication, run, when):
    rating = rating_of(run, firm_user.firm)
    with time_machine.travel(when, tick=False):
        response = client_of(firm_user).post(_object_url(publication, rating), {"text": "late"})
    assert response.status_code == 200
    assert "outside_period" in [e.code for e in response.context["form"].non_field_errors().data]
    assert not Objection.objects.exists()


@pytest.mark.parametrize(
    ("name", "size"), [("virus.exe", 10), ("scan.pdf", 6 * 1024 * 1024)], ids=["type", "size"]
)
def test_a_bad_attachment_is_refused_and_nothing_is_filed(
    client_of, firm_user, publication, run, name, size
):
    rating = rating_of(run, firm_user.firm)
    with time_machine.travel(DURING, tick=False):
        response = client_of(firm_user).post(
            _object_url(publication, rating), {"text": "x", "attachments": [pdf(name, size)]}
        )
    assert response.status_code == 200
    assert "attachments" in response.context["form"].errors
    assert not Objection.objects.exists()
    assert not ObjectionAttachment.objects.exists()


def _file(firm_user, publication, run) -> Objection:
    with time_machine.travel(DURING, tick=False):
        return services.objection_file(
            user=firm_user,
            publication=publication,
            rating=rating_of(run, firm_user.firm),
            text="wrong score",
            attachments=[pdf()],
        )


def test_bureau_rejects_with_a_reason(client_of, bureau_user, firm_user, publication, run):
    objection = _file(firm_user, publication, run)
    client = client_of(bureau_user)
    url = reverse("credit:objection_answer", args=[objection.pk])
    response = client.post(url, {"decision": "reject", "answer": ""})
    assert response.status_code == 200
    assert "answer" in response.context["form"].errors
    response = client.post(url, {"decision": "reject", "answer": "The scores were checked."})
    assert response.status_code == 302
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.REJECTED
    assert objection.answered_by == bureau_user
    assert objection.history.count() == 2


def test_an_answered_objection_cannot_be_answered_again(bureau_user, firm_user, publication, run):
    objection = _file(firm_user, publication, run)
    services.objection_answer(user=bureau_user, objection=objection, accept=True, answer="")
    with pytest.raises(ValidationError) as exc:
        services.objection_answer(user=bureau_user, objection=objection, accept=False, answer="no")
    assert code_of(exc.value) == "answered"
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.ACCEPTED


def test_a_firm_cannot_answer_objections(client_of, firm_user, publication, run):
    objection = _file(firm_user, publication, run)
    response = client_of(firm_user).post(
        reverse("credit:objection_answer", args=[objection.pk]),
        {"decision": "accept", "answer": ""},
    )
    assert response.status_code == 403
    objection.refresh_from_db()
    assert objection.is_pending


def test_attachments_are_served_to_the_firm_and_the_bureau_only(
    client_of, firm_user, other_firm_user, bureau_user, publication, run
):
    objection = _file(firm_user, publication, run)
    url = reverse("portal:file", args=["credit-objection", objection.attachments.get().pk])
    response = client_of(firm_user).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert client_of(bureau_user).get(url).status_code == 200
    assert client_of(other_firm_user).get(url).status_code == 404
    detail = reverse("credit:objection_detail", args=[objection.pk])
    assert client_of(other_firm_user).get(detail).status_code == 404
