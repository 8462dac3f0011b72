"""The reply as a PDF: public when published, staff for drafts, 404 otherwise."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from proposals import services

pytestmark = pytest.mark.django_db


def _is_pdf(response) -> bool:
    return response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")


def test_published_reply_pdf_is_public(client, bureau_user, signed_reply):
    reply = services.reply_publish(
        user=bureau_user, reply=signed_reply, published_on=dt.date(2024, 7, 9)
    )
    response = client.get(reply.get_public_pdf_url())
    assert response.status_code == 200
    assert _is_pdf(response)
    assert reply.public_key in response["Content-Disposition"]


def test_signed_but_unpublished_reply_pdf_is_404_to_the_public(client, signed_reply):
    assert client.get(signed_reply.get_public_pdf_url()).status_code == 404


def test_draft_pdf_for_staff_and_404_for_the_public(
    client, bureau_user, street_officer, reviewed_reply
):
    url = reverse("proposals:reply_pdf", args=[reviewed_reply.proposal_id])
    assert client.get(url).status_code == 404
    client.force_login(street_officer)
    assert client.get(url).status_code == 404
    client.force_login(bureau_user)
    response = client.get(url)
    assert response.status_code == 200 and _is_pdf(response)
