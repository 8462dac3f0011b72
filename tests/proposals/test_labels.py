"""Proposals pages speak Chinese: every choice (kind, state, category, satisfaction, what a
proposal waits for) has its Chinese label, and no page shows a stored code or English-only
text where a label belongs, whatever step the proposal is at."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from proposals import services
from proposals.choices import (
    ProposalKind,
    ProposalState,
    ReplyCategory,
    Satisfaction,
    SequenceKind,
    Waiting,
)
from proposals.forms import ProposalSearchForm
from tests.companies.markup import text_problems
from tests.crawl import ENGLISH_ONLY

from .conftest import make_proposal, sign, to_review

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "choices", [ProposalKind, ProposalState, ReplyCategory, Satisfaction, SequenceKind, Waiting]
)
def test_every_choice_has_a_chinese_label(choices):
    with translation.override("zh-hans"):
        for value, label in choices.choices:
            assert str(label) != value and not ENGLISH_ONLY.match(str(label)), (value, label)


def test_every_choice_field_of_the_proposals_models_has_a_chinese_label():
    with translation.override("zh-hans"):
        for model in apps.get_app_config("proposals").get_models():
            for field in model._meta.get_fields():
                for value, label in getattr(field, "flatchoices", None) or []:
                    assert not ENGLISH_ONLY.match(str(label)), (model.__name__, field.name, value)


def test_the_list_filters_offer_chinese_labels_only():
    with translation.override("zh-hans"):
        form = ProposalSearchForm()
        for name in ("state", "kind", "waiting"):
            for _value, label in form.fields[name].choices:
                assert not ENGLISH_ONLY.match(str(label)), (name, label)


@pytest.fixture
def at_every_step(bureau_user, register, division):
    """A proposal received, one under review, and one re-handled after an unsatisfied reply."""
    received = make_proposal(bureau_user, number=1)
    review = to_review(bureau_user, make_proposal(bureau_user, number=2), division).proposal
    rehandled = make_proposal(bureau_user, number=3)
    reply = sign(division.head, to_review(bureau_user, rehandled, division))
    services.reply_publish(user=bureau_user, reply=reply, published_on=dt.date(2024, 7, 1))
    services.feedback_record(
        user=bureau_user, proposal=rehandled, satisfaction=Satisfaction.UNSATISFIED
    )
    return [received, review, rehandled]


def test_the_proposal_pages_show_no_raw_code_at_any_step(client_of, bureau_user, at_every_step):
    client = client_of(bureau_user)
    urls = [reverse("proposals:proposal_list")]
    urls += [f"{reverse('proposals:proposal_list')}?waiting={w}" for w in Waiting.values]
    urls += [reverse("proposals:proposal_detail", args=[p.pk]) for p in at_every_step]
    urls += [reverse("proposals:reply_edit", args=[at_every_step[1].pk])]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert text_problems(response.content.decode()) == [], url


def test_the_public_replies_show_no_raw_code(client, at_every_step):
    listing = client.get(reverse("proposals:public_reply_list"))
    assert text_problems(listing.content.decode()) == []
    reply = at_every_step[2].replies.get(round=1)
    page = client.get(reply.get_public_url())
    assert page.status_code == 200
    assert text_problems(page.content.decode()) == []
