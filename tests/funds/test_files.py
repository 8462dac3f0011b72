"""Emergency quotes and photos are served by the portal's download view to whoever may read
the application (the applicants and the approvers), never from /media/; anyone else gets 404.
Uploads keep their type and size limits."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from funds import services
from funds.choices import EmergencyKind
from funds.models import EmergencyApplication, EmergencyEvidence

PDF = b"%PDF-1.4 quote"
JPEG = b"\xff\xd8\xff\xe0 photo"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def application(account_a, firm_user):
    return services.emergency_file(
        user=firm_user,
        compound=account_a.compound,
        kind=EmergencyKind.LEAK,
        title="屋面渗漏",
        description="顶层漏水",
        quote_amount=Decimal("800.00"),
        quote_file=SimpleUploadedFile("quote.pdf", PDF, "application/pdf"),
        evidence_files=[SimpleUploadedFile("photo.jpg", JPEG, "image/jpeg")],
    )


def _urls(application) -> list[str]:
    evidence = application.evidence.get()
    return [
        reverse("portal:file", args=["emergency-quote", application.pk]),
        reverse("portal:file", args=["emergency-evidence", evidence.pk]),
    ]


@pytest.mark.parametrize(
    "who",
    ["firm_user", "committee_user", "community_officer", "street_officer", "bureau_user"],
)
def test_the_applicants_and_the_approvers_download_the_quote_and_the_photos(
    who, request, client_of, application
):
    client = client_of(request.getfixturevalue(who))
    quote, photo = _urls(application)
    response = client.get(quote)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(client.get(photo).streaming_content) == JPEG


@pytest.mark.parametrize(
    "who",
    ["other_firm_user", "other_committee_user", "other_community_officer", "other_street_officer"],
)
def test_an_outsider_gets_404_for_the_files_of_another_area(who, request, client_of, application):
    client = client_of(request.getfixturevalue(who))
    for url in _urls(application):
        assert client.get(url).status_code == 404


def test_a_visitor_is_sent_to_sign_in(client, application):
    for url in _urls(application):
        assert client.get(url).status_code == 302


def test_the_detail_page_links_to_the_download_view_not_to_media(
    client_of, application, community_officer
):
    html = (
        client_of(community_officer)
        .get(reverse("funds:emergency_detail", args=[application.pk]))
        .content.decode()
    )
    for url in _urls(application):
        assert f'href="{url}"' in html
    assert "/media/" not in html


def _form(compound, **files):
    return {
        "compound": compound.pk,
        "kind": EmergencyKind.LEAK,
        "title": "屋面渗漏",
        "description": "顶层漏水",
        "scope": "compound",
        "quote_amount": "800.00",
        **files,
    }


def test_a_file_over_the_size_limit_is_refused_and_nothing_is_filed(
    client_of, account_a, firm_user, settings
):
    settings.FUNDS_EVIDENCE_MAX_BYTES = 1024
    big = SimpleUploadedFile("photo.jpg", b"\xff\xd8\xff" + b"0" * 2048, "image/jpeg")
    response = client_of(firm_user).post(
        reverse("funds:emergency_create"), _form(account_a.compound, evidence=[big])
    )
    assert response.status_code == 200
    assert "文件过大" in str(response.context["form"].errors["evidence"])
    big_quote = SimpleUploadedFile("quote.pdf", b"%PDF" + b"0" * 2048, "application/pdf")
    response = client_of(firm_user).post(
        reverse("funds:emergency_create"), _form(account_a.compound, quote_file=big_quote)
    )
    assert "quote_file" in response.context["form"].errors
    assert not EmergencyApplication.objects.exists()
    assert not EmergencyEvidence.objects.exists()


def test_a_file_of_another_type_is_refused(client_of, account_a, firm_user):
    page = SimpleUploadedFile("photo.html", b"<script>alert(1)</script>", "text/html")
    response = client_of(firm_user).post(
        reverse("funds:emergency_create"), _form(account_a.compound, evidence=[page])
    )
    assert response.status_code == 200
    assert "evidence" in response.context["form"].errors
    assert not EmergencyApplication.objects.exists()


def test_a_filed_application_moves_on_even_if_its_stored_file_is_gone(
    application, community_officer
):
    application.quote_file.storage.delete(application.quote_file.name)
    services.emergency_certify(user=community_officer, application=application)
    application.refresh_from_db()
    assert application.certified_by == community_officer
