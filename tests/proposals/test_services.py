"""The proposal flow, its register numbers and its refusals (nothing written when refused)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from proposals import services
from proposals.choices import ProposalState, ReplyCategory, Satisfaction
from proposals.models import Feedback, Proposal, RegisterCounter, Reply

from .conftest import RECEIVED_ON, make_proposal, sign, to_review

S = ProposalState
pytestmark = pytest.mark.django_db


def codes(exc: pytest.ExceptionInfo) -> set[str]:
    return {e.code for e in exc.value.error_list} if hasattr(exc.value, "error_list") else set()


def test_create_sets_the_three_month_deadline_and_keeps_points_in_order(proposal):
    assert proposal.state == S.RECEIVED
    assert proposal.reply_due == dt.date(2024, 6, 11)
    assert [p.title for p in proposal.points.all()] == ["建议1", "建议2"]


def test_create_without_points_is_refused(bureau_user):
    with pytest.raises(ValidationError):
        make_proposal(bureau_user, points=0)
    assert not Proposal.objects.exists()


def test_assignment_gives_co_handlers_one_month(bureau_user, proposal, division, other_division):
    services.proposal_assign(
        user=bureau_user,
        proposal=proposal,
        lead_division=division,
        co_divisions=[other_division, division],
        on=dt.date(2024, 3, 12),
    )
    proposal.refresh_from_db()
    assert proposal.state == S.ASSIGNED
    co = proposal.co_handlers.get()
    assert co.division == other_division
    assert co.input_due == dt.date(2024, 4, 12)


def test_return_within_five_days_puts_the_proposal_back(
    bureau_user, proposal, division, other_division
):
    services.proposal_assign(
        user=bureau_user,
        proposal=proposal,
        lead_division=division,
        co_divisions=[other_division],
        on=dt.date(2024, 3, 12),
    )
    services.proposal_return(
        user=bureau_user, proposal=proposal, reason="不属本科职责", on=dt.date(2024, 3, 17)
    )
    proposal.refresh_from_db()
    assert proposal.state == S.RECEIVED
    assert proposal.lead_division is None
    assert not proposal.co_handlers.exists()


def test_return_after_five_days_is_refused(bureau_user, proposal, division):
    services.proposal_assign(
        user=bureau_user, proposal=proposal, lead_division=division, on=dt.date(2024, 3, 12)
    )
    with pytest.raises(ValidationError) as exc:
        services.proposal_return(
            user=bureau_user, proposal=proposal, reason="x", on=dt.date(2024, 3, 18)
        )
    assert "return_too_late" in codes(exc)
    proposal.refresh_from_db()
    assert proposal.state == S.ASSIGNED


def test_extension_once_up_to_six_months(bureau_user, proposal, division):
    services.proposal_assign(user=bureau_user, proposal=proposal, lead_division=division)
    services.proposal_extend(
        user=bureau_user, proposal=proposal, until=dt.date(2024, 8, 1), reason="需会同市司法局"
    )
    proposal.refresh_from_db()
    assert proposal.reply_due == dt.date(2024, 8, 1)
    with pytest.raises(ValidationError) as exc:
        services.proposal_extend(
            user=bureau_user, proposal=proposal, until=dt.date(2024, 9, 1), reason="again"
        )
    assert "already_extended" in codes(exc)


def test_extension_past_six_months_is_refused_and_writes_nothing(bureau_user, proposal, division):
    services.proposal_assign(user=bureau_user, proposal=proposal, lead_division=division)
    history_before = proposal.history.count()
    with pytest.raises(ValidationError) as exc:
        services.proposal_extend(
            user=bureau_user, proposal=proposal, until=dt.date(2024, 9, 12), reason="太忙"
        )
    assert "until" in exc.value.message_dict
    proposal.refresh_from_db()
    assert proposal.reply_due == dt.date(2024, 6, 11)
    assert not proposal.extension_reason
    assert proposal.history.count() == history_before


def test_reply_missing_a_section_cannot_go_to_review(bureau_user, proposal, division):
    services.proposal_assign(user=bureau_user, proposal=proposal, lead_division=division)
    reply = services.reply_start(user=bureau_user, proposal=proposal)
    first = reply.sections.order_by("point__position").first()
    services.reply_save(
        user=bureau_user,
        reply=reply,
        overall_category="A",
        sections={first.point_id: {"body": "只答了第一条。", "category": "A"}},
    )
    with pytest.raises(ValidationError) as exc:
        services.reply_submit(user=bureau_user, reply=reply)
    assert "incomplete" in codes(exc)
    proposal.refresh_from_db()
    assert proposal.state == S.DRAFTING


def test_category_b_needs_a_date_and_c_needs_reasons(bureau_user, proposal, division):
    services.proposal_assign(user=bureau_user, proposal=proposal, lead_division=division)
    reply = services.reply_start(user=bureau_user, proposal=proposal)
    one, two = reply.sections.order_by("point__position")
    services.reply_save(
        user=bureau_user,
        reply=reply,
        overall_category="B",
        sections={
            one.point_id: {"body": "a", "category": ReplyCategory.B},
            two.point_id: {"body": "b", "category": ReplyCategory.C},
        },
    )
    assert len(services.reply_problems(reply)) == 2
    services.reply_save(
        user=bureau_user,
        reply=reply,
        sections={
            one.point_id: {"due_on": dt.date(2024, 12, 31)},
            two.point_id: {"reasons": "超出本局职权"},
        },
    )
    assert services.reply_problems(reply) == []


def test_sign_off_assigns_register_metadata(register, reviewed_reply, division_head):
    RegisterCounter.objects.create(kind="index", year=2024, last=5041)
    RegisterCounter.objects.create(kind="doc_cppcc", year=2024, last=21)
    reply = sign(division_head, reviewed_reply)
    reply.refresh_from_db()
    assert reply.index_no == "1120200MB17140993/2024-05042"
    assert reply.doc_no == "吉市住建提字〔2024〕22号"
    assert reply.title == "对市政协十四届三次会议第084号委员提案的答复"
    assert reply.written_on == dt.date(2024, 6, 12)
    assert reply.issuing_organ == "吉林市住房和城乡建设局"
    assert reply.public_key == "2024-05042"
    assert reply.proposal.state == S.REPLIED


def test_second_sign_off_is_refused_and_takes_no_number(signed_reply, division_head):
    with pytest.raises(ValidationError) as exc:
        sign(division_head, signed_reply)
    assert "already_signed_off" in codes(exc)
    assert RegisterCounter.objects.get(kind="index", year=2024).last == 1


def test_only_the_lead_division_head_signs_off(register, reviewed_reply, bureau_user):
    with pytest.raises(ValidationError) as exc:
        sign(bureau_user, reviewed_reply)
    assert "not_head" in codes(exc)
    reviewed_reply.refresh_from_db()
    assert not reviewed_reply.is_signed_off
    assert not RegisterCounter.objects.exists()


def test_numbers_are_per_year_and_consecutive(register, bureau_user, division, division_head):
    numbers = []
    for n, day in [(1, dt.date(2024, 6, 1)), (2, dt.date(2024, 6, 2)), (3, dt.date(2025, 1, 5))]:
        reply = to_review(bureau_user, make_proposal(bureau_user, number=n), division)
        numbers.append(sign(division_head, reply, written_on=day).doc_no)
    assert numbers == [
        "吉市住建提字〔2024〕1号",
        "吉市住建提字〔2024〕2号",
        "吉市住建提字〔2025〕1号",
    ]


def test_publish_after_sign_off(bureau_user, signed_reply):
    services.reply_publish(user=bureau_user, reply=signed_reply, published_on=dt.date(2024, 7, 9))
    assert Reply.objects.published().get() == signed_reply


def test_unsigned_reply_cannot_be_published(bureau_user, reviewed_reply):
    with pytest.raises(ValidationError):
        services.reply_publish(user=bureau_user, reply=reviewed_reply)
    assert not Reply.objects.published().exists()


def test_feedback_on_an_unreplied_proposal_is_refused(bureau_user, reviewed_reply):
    with pytest.raises(ValidationError) as exc:
        services.feedback_record(
            user=bureau_user,
            proposal=reviewed_reply.proposal,
            satisfaction=Satisfaction.SATISFIED,
        )
    assert "invalid_state" in codes(exc)
    assert not Feedback.objects.exists()


def test_satisfied_feedback_then_close(bureau_user, signed_reply):
    proposal = signed_reply.proposal
    services.feedback_record(
        user=bureau_user, proposal=proposal, satisfaction=Satisfaction.SATISFIED
    )
    services.proposal_close(user=bureau_user, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.state == S.CLOSED


def test_unsatisfied_feedback_reopens_for_a_second_round(bureau_user, signed_reply, division_head):
    proposal = signed_reply.proposal
    services.feedback_record(
        user=bureau_user,
        proposal=proposal,
        satisfaction=Satisfaction.UNSATISFIED,
        comments="未答复招投标问题",
        received_on=dt.date(2024, 7, 20),
    )
    proposal.refresh_from_db()
    assert proposal.state == S.REHANDLING
    assert proposal.reply_due == dt.date(2024, 8, 20)
    second = services.reply_start(user=bureau_user, proposal=proposal)
    assert second.round == 2
    assert second.sections.count() == 2


def test_every_transition_is_in_the_history(bureau_user, signed_reply):
    reasons = list(
        signed_reply.proposal.history.order_by("history_id").values_list(
            "history_change_reason", flat=True
        )
    )
    assert reasons[0] == "received"
    assert [r.split(":")[0] for r in reasons[1:]] == [
        "received → assigned",
        "assigned → drafting",
        "drafting → review",
        "review → replied",
    ]


def test_a_step_out_of_order_is_refused(bureau_user, proposal):
    with pytest.raises(ValidationError) as exc:
        services.reply_start(user=bureau_user, proposal=proposal)
    assert "invalid_state" in codes(exc)
    assert not Reply.objects.exists()


def test_received_on_fixture_matches():
    assert RECEIVED_ON.year == 2024
