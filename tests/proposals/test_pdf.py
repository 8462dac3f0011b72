"""The reply as a PDF: public when published, staff for drafts, 404 otherwise."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation
from reportlab.platypus import SimpleDocTemplate

from proposals import services
from proposals.models import Reply, ReplySection
from tests.signin import verified_login

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
    verified_login(client, bureau_user)
    response = client.get(url)
    assert response.status_code == 200 and _is_pdf(response)


# --- rendered once per version of the reply ----------------------------------------------------


@pytest.fixture
def renders(monkeypatch, settings) -> list:
    """The PDFs reportlab builds, counted; cached in a cache of this test's own."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "test-reply-pdf",
        }
    }
    cache.clear()
    built: list = []
    build = SimpleDocTemplate.build

    def counting(document, *args, **kwargs):
        built.append(document.title)
        return build(document, *args, **kwargs)

    monkeypatch.setattr(SimpleDocTemplate, "build", counting)
    return built


@pytest.fixture
def published_reply(bureau_user, signed_reply):
    return services.reply_publish(
        user=bureau_user, reply=signed_reply, published_on=dt.date(2024, 7, 9)
    )


def test_the_public_pdf_is_rendered_once_per_version_of_the_reply(client, published_reply, renders):
    url = published_reply.get_public_pdf_url()
    first = client.get(url)
    assert client.get(url).content == first.content
    assert len(renders) == 1

    section = published_reply.sections.first()
    ReplySection.objects.filter(pk=section.pk).update(body=section.body + "\n另行补充一段。")
    changed = client.get(url)
    assert len(renders) == 2 and changed.content != first.content
    client.get(url)
    assert len(renders) == 2

    Reply.objects.filter(pk=published_reply.pk).update(contact_phone="0432-12345678")
    client.get(url)
    assert len(renders) == 3


def test_each_language_has_its_own_pdf_and_the_staff_get_the_public_one(
    client, bureau_user, published_reply, renders
):
    url = published_reply.get_public_pdf_url()
    client.get(url)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    # The middleware leaves English active in this thread: undone at the end of the block.
    with translation.override(settings.LANGUAGE_CODE):
        client.get(url)
    assert len(renders) == 2
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    verified_login(client, bureau_user)
    client.get(reverse("proposals:reply_pdf", args=[published_reply.proposal_id]))
    client.get(reverse("proposals:reply_pdf", args=[published_reply.proposal_id]))
    assert len(renders) == 2  # the staff's copy of a signed reply is the public one
