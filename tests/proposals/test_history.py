"""A proposal's history reads as the steps the bureau took, in Chinese: every reason the
services record ("received", "assigned → drafting", "replied → rehandling: unsatisfied",
"signed off", …) shows as its label, never as its code."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import translation

from portal import history
from proposals import services
from proposals.choices import Satisfaction, SequenceKind
from proposals.models import Proposal, RegisterCounter, Reply
from tests.crawl import raw_codes

from .conftest import RECEIVED_ON, complete_sections, make_proposal, sign

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u4e00-\u9fff]")
ASCII_WORD = re.compile(r"[A-Za-z]{3,}")


def _walk_every_step(user, division, other_division, satisfaction) -> Proposal:
    """Every write of the flow once: correct, assign, return, assign again, extend, draft,
    send back, sign off, publish, feedback (and, when unsatisfied, the second round)."""
    proposal = make_proposal(user)
    proposal = services.proposal_update(user=user, proposal=proposal, title="关于物业的建议")
    proposal = services.proposal_assign(
        user=user, proposal=proposal, lead_division=other_division, on=RECEIVED_ON
    )
    proposal = services.proposal_return(
        user=user, proposal=proposal, reason="不属本科室职责", on=RECEIVED_ON
    )
    proposal = services.proposal_assign(
        user=user, proposal=proposal, lead_division=division, on=RECEIVED_ON
    )
    proposal = services.proposal_extend(
        user=user, proposal=proposal, until=dt.date(2024, 8, 30), reason="需会同多部门调研"
    )
    for round_ in (1, 2):
        reply = services.reply_start(user=user, proposal=proposal)
        services.reply_save(
            user=user, reply=reply, sections=complete_sections(reply), overall_category="A"
        )
        services.reply_submit(user=user, reply=reply)
        if round_ == 1:
            services.reply_send_back(user=user, reply=reply, reason="第二条请补充数据")
            services.reply_submit(user=user, reply=reply)
        reply = sign(division.head, reply, written_on=dt.date(2024, 6, 12 + round_))
        services.reply_publish(user=user, reply=reply, published_on=dt.date(2024, 7, 9))
        proposal.refresh_from_db()
        answer = Satisfaction.UNSATISFIED if round_ == 1 else satisfaction
        services.feedback_record(
            user=user, proposal=proposal, satisfaction=answer, received_on=dt.date(2024, 7, 10)
        )
        proposal.refresh_from_db()
        if proposal.state != "rehandling":
            break
    if proposal.state == "feedback":
        services.proposal_close(user=user, proposal=proposal)
    return proposal


def _recorded_reasons() -> list[tuple[type, str]]:
    found = []
    for model in (Proposal, Reply, RegisterCounter):
        reasons = model.history.exclude(history_change_reason__isnull=True).exclude(
            history_change_reason=""
        )
        found += [(model, r) for r in reasons.values_list("history_change_reason", flat=True)]
    return found


@pytest.mark.parametrize("satisfaction", list(Satisfaction))
def test_every_reason_the_services_write_renders_as_a_chinese_label(
    bureau_user, register, division, other_division, satisfaction
):
    _walk_every_step(bureau_user, division, other_division, satisfaction)
    services.register_counter_start(user=bureau_user, kind=SequenceKind.INDEX, year=2025, last=120)
    recorded = _recorded_reasons()
    codes = {reason for _model, reason in recorded}
    assert {"received", "corrected", "extended", "signed off", "published"} <= codes
    assert "sequence continued from paper register" in codes
    assert any(" → " in code for code in codes)
    with translation.override("zh-hans"):
        for model, reason in recorded:
            label = history.reason_label(model, reason)
            assert CJK.search(label), (reason, label)
            assert not ASCII_WORD.search(label), (reason, label)


def test_every_registered_reason_and_state_has_a_chinese_label():
    with translation.override("zh-hans"):
        for model in (Proposal, Reply, RegisterCounter):
            reasons, states = history.registered()[model]
            for code, label in {**reasons, **states}.items():
                assert CJK.search(str(label)), (model.__name__, code, str(label))
                assert not ASCII_WORD.search(str(label)), (model.__name__, code, str(label))


def test_the_feedback_move_names_the_satisfaction():
    with translation.override("zh-hans"):
        label = history.reason_label(Proposal, "replied → rehandling: unsatisfied")
    assert label == "已答复 → 重新办理：不满意"


def test_the_proposal_page_shows_its_steps_and_its_replies_steps_as_labels(
    client_of, bureau_user, register, division, other_division
):
    proposal = _walk_every_step(bureau_user, division, other_division, Satisfaction.SATISFIED)
    page = client_of(bureau_user).get(reverse("proposals:proposal_detail", args=[proposal.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count("history-entry") >= 10
    for label in ("接收登记", "已答复 → 重新办理：不满意", "签发", "公开发布", "延长答复期限"):
        assert label in html, label
    entries = re.findall(r'class="list-group-item history-entry">(.*?)</li>', html, re.S)
    words = {w for entry in entries for w in re.findall(r"[a-z][a-z_]*[a-z]", entry)}
    assert not words & raw_codes()


def test_the_proposal_page_is_refused_to_other_roles(client_of, bureau_user, street_officer):
    proposal = make_proposal(bureau_user)
    response = client_of(street_officer).get(
        reverse("proposals:proposal_detail", args=[proposal.pk])
    )
    assert response.status_code == 403
