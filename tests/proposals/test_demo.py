from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from proposals.choices import ProposalState
from proposals.demo import load_proposals_demo
from proposals.hooks import proposal_todos
from proposals.models import Proposal, Reply

pytestmark = pytest.mark.django_db


def test_demo_has_every_state_and_the_084_reply_at_its_public_url(client, bureau_user):
    p084 = load_proposals_demo(user=bureau_user)
    assert set(Proposal.objects.values_list("state", flat=True)) == set(ProposalState.values)
    assert {d.year for d in Proposal.objects.values_list("received_on", flat=True)} == {2023, 2024}
    reply = Reply.objects.get(proposal=p084)
    assert reply.index_no == "1120200MB17140993/2024-05042"
    assert reply.doc_no == "吉市住建提字〔2024〕22号"
    assert reply.written_on == dt.date(2024, 6, 12)
    assert reply.published_on == dt.date(2024, 7, 9)
    assert reply.sections.count() == 4
    response = client.get("/proposals/replies/2024-05042/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "吉市住建提字〔2024〕22号" in page
    assert "对市政协十四届三次会议第084号委员提案的答复" in page
    assert load_proposals_demo(user=bureau_user) is None  # a second load changes nothing


def test_every_staff_page_renders_for_the_demo(client_of, bureau_user):
    from django.urls import reverse

    load_proposals_demo(user=bureau_user)
    client = client_of(bureau_user)
    assert client.get(reverse("proposals:proposal_list")).status_code == 200
    for proposal in Proposal.objects.all():
        assert (
            client.get(reverse("proposals:proposal_detail", args=[proposal.pk])).status_code == 200
        )
        if proposal.replies.exists():
            for name in ("proposals:reply_edit", "proposals:reply_print"):
                assert client.get(reverse(name, args=[proposal.pk])).status_code == 200


def test_the_demo_gives_the_bureau_an_item_of_every_proposal_todo(bureau_user):
    load_proposals_demo(user=bureau_user)
    counts = {item.label: item.count for item in proposal_todos(bureau_user, timezone.localdate())}
    # "Due soon" depends on the day the demo is loaded: its proposals are of 2023 and 2024.
    empty = [label for label, count in counts.items() if not count and label != "即将到期的提案"]
    assert empty == []
