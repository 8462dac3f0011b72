"""The bureau's proposal work on its landing page: every open proposal past its reply
deadline counts as overdue, whatever its step, and each step that waits is a to-do item
whose link lists exactly what waits."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from portal import workbench
from proposals import services
from proposals.choices import ProposalState, Satisfaction
from proposals.hooks import proposal_todos
from proposals.models import Proposal

from .conftest import RECEIVED_ON, make_proposal, sign, to_review

pytestmark = pytest.mark.django_db

S = ProposalState
TODAY = dt.date(2024, 7, 1)  # RECEIVED_ON + 3 months = 2024-06-11: past the reply deadline


@pytest.fixture(autouse=True)
def _on_today():
    """The pages' today is the to-do list's: the list's filters use the clock."""
    moment = dt.datetime.combine(TODAY, dt.time(10), tzinfo=ZoneInfo("Asia/Shanghai"))
    with time_machine.travel(moment, tick=False):
        yield


def _todos(user, today=TODAY) -> dict[str, workbench.Todo]:
    return {item.label: item for item in proposal_todos(user, today)}


def _listed(client, url: str) -> set[int]:
    return {p.pk for p in client.get(url).context["page_obj"]}


# --- the overdue rule ----------------------------------------------------------------------


def test_a_received_proposal_past_its_deadline_is_overdue(bureau_user):
    proposal = make_proposal(bureau_user)
    assert proposal.state == S.RECEIVED
    assert proposal.is_overdue(TODAY)
    assert list(Proposal.objects.overdue(TODAY)) == [proposal]


def test_a_received_proposal_past_its_deadline_is_flagged_overdue_in_the_list(
    client_of, bureau_user
):
    make_proposal(bureau_user)  # received 2024-03-11, due 2024-06-11: long past today
    page = client_of(bureau_user).get(reverse("proposals:proposal_list")).content.decode()
    assert 'badge text-bg-danger">已逾期' in page


def test_a_received_proposal_past_its_deadline_counts_in_the_overdue_todo(bureau_user):
    make_proposal(bureau_user)
    overdue = _todos(bureau_user)["已超过答复期限的提案"]
    assert overdue.count == 1 and overdue.overdue == 1
    assert overdue.due == dt.date(2024, 6, 11)


def test_a_replied_or_closed_proposal_is_never_overdue(bureau_user, register, division):
    reply = to_review(bureau_user, make_proposal(bureau_user), division)
    sign(division.head, reply)
    proposal = Proposal.objects.get()
    assert proposal.state == S.REPLIED
    assert not proposal.is_overdue(TODAY)
    assert "已超过答复期限的提案" not in {
        item.label for item in proposal_todos(bureau_user, TODAY) if item.count
    }


def test_a_proposal_due_within_the_warning_period_is_due_soon(bureau_user):
    make_proposal(bureau_user)
    soon = _todos(bureau_user, today=dt.date(2024, 6, 1))["即将到期的提案"]
    assert soon.count == 1 and soon.overdue == 0


# --- each step that waits ------------------------------------------------------------------


@pytest.fixture
def every_step(bureau_user, register, division):
    """One proposal waiting at each step of the flow, and the reply that waits for publication."""
    made = {S.RECEIVED: make_proposal(bureau_user, number=1)}
    assigned = make_proposal(bureau_user, number=2)
    services.proposal_assign(
        user=bureau_user, proposal=assigned, lead_division=division, on=RECEIVED_ON
    )
    made[S.ASSIGNED] = assigned
    drafting = make_proposal(bureau_user, number=3)
    services.proposal_assign(
        user=bureau_user, proposal=drafting, lead_division=division, on=RECEIVED_ON
    )
    services.reply_start(user=bureau_user, proposal=drafting)
    made[S.DRAFTING] = drafting
    made[S.REVIEW] = to_review(bureau_user, make_proposal(bureau_user, number=4), division).proposal
    replied = make_proposal(bureau_user, number=5)
    sign(division.head, to_review(bureau_user, replied, division))
    made[S.REPLIED] = replied
    unhappy = make_proposal(bureau_user, number=6)
    sign(division.head, to_review(bureau_user, unhappy, division))
    services.feedback_record(
        user=bureau_user,
        proposal=unhappy,
        satisfaction=Satisfaction.UNSATISFIED,
        received_on=dt.date(2024, 6, 20),
    )
    made[S.REHANDLING] = unhappy
    happy = make_proposal(bureau_user, number=7)
    happy_reply = sign(division.head, to_review(bureau_user, happy, division))
    services.reply_publish(user=bureau_user, reply=happy_reply, published_on=dt.date(2024, 6, 20))
    services.feedback_record(
        user=bureau_user,
        proposal=happy,
        satisfaction=Satisfaction.SATISFIED,
        received_on=dt.date(2024, 6, 20),
    )
    made[S.FEEDBACK] = happy
    return {state: Proposal.objects.get(pk=p.pk) for state, p in made.items()}


STEP_LABELS = {
    S.RECEIVED: "待交办的提案",
    S.ASSIGNED: "待开始答复的提案",
    S.DRAFTING: "起草中的答复",
    S.REVIEW: "待签发的答复",
    S.REPLIED: "待提案人反馈的答复",
    S.REHANDLING: "待重新办理的提案（提案人不满意）",
    S.FEEDBACK: "待办结的提案",
}


def test_each_waiting_step_is_a_todo_linking_to_exactly_what_waits(
    client_of, bureau_user, every_step
):
    todos = _todos(bureau_user)
    client = client_of(bureau_user)
    for state, label in STEP_LABELS.items():
        item = todos[label]
        assert item.count == 1, label
        assert _listed(client, item.url) == {every_step[state].pk}, label


def test_the_deadline_of_a_step_counts_only_while_a_reply_is_owed(bureau_user, every_step):
    todos = _todos(bureau_user)
    assert todos["待交办的提案"].overdue == 1
    assert todos["待交办的提案"].due == dt.date(2024, 6, 11)
    assert todos["待提案人反馈的答复"].overdue == 0
    assert todos["待提案人反馈的答复"].due is None
    # Re-handling runs from the feedback (2024-06-20) for a month: not yet late on TODAY.
    assert todos["待重新办理的提案（提案人不满意）"].overdue == 0


def test_signed_replies_not_yet_published_are_a_todo(client_of, bureau_user, every_step):
    item = _todos(bureau_user)["已签发待公开的答复"]
    # Signed: the replied one and the re-handled one; the satisfied one is published.
    expected = {every_step[S.REPLIED].pk, every_step[S.REHANDLING].pk}
    assert item.count == len(expected)
    assert _listed(client_of(bureau_user), item.url) == expected


def test_the_overdue_todo_lists_the_overdue_proposals(client_of, bureau_user, every_step):
    item = _todos(bureau_user)["已超过答复期限的提案"]
    late = {every_step[s].pk for s in (S.RECEIVED, S.ASSIGNED, S.DRAFTING, S.REVIEW)}
    assert item.count == len(late)
    assert _listed(client_of(bureau_user), item.url) == late


def test_the_todos_take_two_queries_however_many_proposals(
    bureau_user, every_step, django_assert_num_queries
):
    for number in range(100, 130):
        make_proposal(bureau_user, number=number)
    with django_assert_num_queries(2):
        items = list(proposal_todos(bureau_user, TODAY))
    assert len(items) == 10


def test_the_workbench_shows_the_proposal_todos_to_the_bureau(client_of, bureau_user):
    make_proposal(bureau_user, received_on=timezone.localdate() - dt.timedelta(days=200))
    page = client_of(bureau_user).get(reverse("portal:dashboard")).content.decode()
    assert "已超过答复期限的提案" in page and "待交办的提案" in page


def test_other_roles_have_no_proposal_todos(bureau_user, street_officer, firm_user):
    make_proposal(bureau_user)
    assert list(proposal_todos(street_officer, TODAY)) == []
    assert list(proposal_todos(firm_user, TODAY)) == []


def test_the_filtered_list_refuses_other_roles(client_of, bureau_user, street_officer):
    make_proposal(bureau_user)
    response = client_of(street_officer).get(
        reverse("proposals:proposal_list"), {"waiting": "overdue"}
    )
    assert response.status_code == 403
