"""Credit's uploaded files (event evidence, objection files, answers to notices) are served by
the portal's one download view, to whoever may read the row that holds them: the others get
404, like for a file that does not exist. Uploads keep their type and size limits."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import NoReverseMatch, reverse

from credit import publication as services
from credit import rectification
from credit.models import CreditNotice, NoticeEvidence, NoticeKind

from .helpers import event
from .publishing import T0, YEAR, open_publicity, pdf, rating_of

DURING = T0 + dt.timedelta(days=2)
AFTER = T0 + dt.timedelta(days=8)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def publication(bureau_user, run):
    with time_machine.travel(T0, tick=False):
        return open_publicity(bureau_user, run)


def file_url(kind: str, pk: int) -> str:
    return reverse("portal:file", args=[kind, pk])


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_evidence_is_read_by_the_bureau_and_the_association(
    client_of, bureau_user, association_user, firm_a
):
    evidence = event(YEAR, firm_a, "deduction", 3)
    evidence.evidence = SimpleUploadedFile("penalty.pdf", b"%PDF-1.4 penalty")
    evidence.save()
    url = file_url("credit-evidence", evidence.pk)
    for reader in (bureau_user, association_user):
        response = client_of(reader).get(url)
        assert response.status_code == 200
        assert body(response) == b"%PDF-1.4 penalty"


@pytest.mark.parametrize("who", ["firm_user", "street_officer", "committee_user"])
def test_evidence_does_not_exist_for_anyone_else(client_of, firm_a, who, request):
    evidence = event(YEAR, firm_a, "deduction", 3)
    evidence.evidence = SimpleUploadedFile("penalty.pdf", b"%PDF-1.4 penalty")
    evidence.save()
    client = client_of(request.getfixturevalue(who))
    assert client.get(file_url("credit-evidence", evidence.pk)).status_code == 404


def test_an_objections_file_is_read_by_its_firm_and_the_bureau(
    client_of, firm_user, bureau_user, publication, run
):
    with time_machine.travel(DURING, tick=False):
        objection = services.objection_file(
            user=firm_user,
            publication=publication,
            rating=rating_of(run, firm_user.firm),
            text="x",
            attachments=[pdf("scan.pdf")],
        )
    attachment = objection.attachments.get()
    url = file_url("credit-objection", attachment.pk)
    response = client_of(firm_user).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('filename="scan.pdf"')
    assert body(response).startswith(b"%PDF")
    assert client_of(bureau_user).get(url).status_code == 200
    html = client_of(firm_user).get(reverse("credit:objection_detail", args=[objection.pk]))
    assert url in html.content.decode()


@pytest.mark.parametrize("who", ["other_firm_user", "street_officer"])
def test_an_objections_file_does_not_exist_for_others(
    client_of, firm_user, publication, run, who, request
):
    with time_machine.travel(DURING, tick=False):
        objection = services.objection_file(
            user=firm_user,
            publication=publication,
            rating=rating_of(run, firm_user.firm),
            text="x",
            attachments=[pdf()],
        )
    client = client_of(request.getfixturevalue(who))
    assert client.get(file_url("credit-objection", objection.attachments.get().pk)).status_code == (
        404
    )


@pytest.fixture
def notice(bureau_user, publication) -> CreditNotice:
    with time_machine.travel(AFTER, tick=False):
        services.publication_publish(user=bureau_user, publication=publication)
        services.notices_issue(user=bureau_user, publication=publication)
    return CreditNotice.objects.get(kind=NoticeKind.RECTIFICATION)


def test_a_notices_answer_is_read_by_its_firm_and_the_bureau(
    client_of, other_firm_user, bureau_user, notice
):
    client = client_of(other_firm_user)
    response = client.post(
        reverse("credit:notice_respond", args=[notice.pk]),
        {"text": "已整改", "files": [pdf("report.pdf")]},
    )
    assert response.status_code == 302
    url = file_url("credit-notice-evidence", NoticeEvidence.objects.get().pk)
    assert client.get(url).status_code == 200
    assert client_of(bureau_user).get(url).status_code == 200
    detail = client_of(bureau_user).get(reverse("credit:notice_detail", args=[notice.pk]))
    assert url in detail.content.decode()


@pytest.mark.parametrize("who", ["firm_user", "street_officer", "committee_user"])
def test_a_notices_answer_does_not_exist_for_others(
    client_of, other_firm_user, notice, who, request
):
    rectification.notice_respond(user=other_firm_user, notice=notice, text="已整改", files=[pdf()])
    client = client_of(request.getfixturevalue(who))
    url = file_url("credit-notice-evidence", NoticeEvidence.objects.get().pk)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("name", "size"), [("virus.exe", 10), ("report.pdf", 6 * 1024 * 1024)], ids=["type", "size"]
)
def test_a_notices_answer_keeps_the_type_and_size_limits(
    client_of, other_firm_user, notice, name, size
):
    response = client_of(other_firm_user).post(
        reverse("credit:notice_respond", args=[notice.pk]),
        {"text": "已整改", "files": [pdf(name, size)]},
    )
    assert response.status_code == 302
    notice.refresh_from_db()
    assert (notice.status, NoticeEvidence.objects.count()) == ("issued", 0)


def test_the_former_file_addresses_are_gone():
    for name in ("event_evidence", "objection_attachment", "notice_file"):
        with pytest.raises(NoReverseMatch):
            reverse(f"credit:{name}", args=[1])
