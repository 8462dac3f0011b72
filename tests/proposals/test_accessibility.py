"""The proposals pages can be read with a screen reader at every step: every input has a
label (the forms of one page never share an id), every column its header, icons stay
silent, no low-contrast text."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from proposals import services
from tests.companies.markup import accessibility_problems

from .conftest import RECEIVED_ON, make_proposal, sign, to_review

pytestmark = pytest.mark.django_db

ID = re.compile(r'\sid="([^"]+)"')


@pytest.fixture
def proposals_at_each_step(bureau_user, register, division, other_division):
    received = make_proposal(bureau_user, number=1)
    assigned = make_proposal(bureau_user, number=2)
    services.proposal_assign(
        user=bureau_user,
        proposal=assigned,
        lead_division=division,
        co_divisions=[other_division],
        on=RECEIVED_ON,
    )
    review = to_review(bureau_user, make_proposal(bureau_user, number=3), division).proposal
    replied = make_proposal(bureau_user, number=4)
    sign(division.head, to_review(bureau_user, replied, division))
    return [received, assigned, review, replied]


def test_every_proposals_page_is_labelled(client_of, division_head, proposals_at_each_step):
    # The division head: the review step shows the sign-off form too.
    client = client_of(division_head)
    urls = [
        reverse("proposals:proposal_list"),
        reverse("proposals:proposal_create"),
        reverse("proposals:public_reply_list"),
    ]
    urls += [reverse("proposals:proposal_detail", args=[p.pk]) for p in proposals_at_each_step]
    urls += [reverse("proposals:reply_edit", args=[proposals_at_each_step[2].pk])]
    urls += [reverse("proposals:reply_print", args=[proposals_at_each_step[3].pk])]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert accessibility_problems(response.content.decode()) == [], url


def test_the_forms_of_one_proposal_page_never_share_an_id(
    client_of, division_head, proposals_at_each_step
):
    client = client_of(division_head)
    for proposal in proposals_at_each_step:
        html = client.get(reverse("proposals:proposal_detail", args=[proposal.pk])).content
        ids = [i for i in ID.findall(html.decode()) if i.startswith(("id_", "co-input"))]
        assert len(ids) == len(set(ids)), proposal.state
