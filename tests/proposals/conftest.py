"""Proposals in each state, built through the services as the bureau would."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.choices import Role
from proposals import services
from proposals.choices import ProposalKind, ReplyCategory
from proposals.models import Division, RegisterSettings
from tests.factories import UserFactory

RECEIVED_ON = dt.date(2024, 3, 11)


@pytest.fixture
def register(db):
    row = RegisterSettings.get_solo()
    row.organisation_code = "1120200MB17140993"
    row.issuing_organ = "吉林市住房和城乡建设局"
    row.doc_prefix_cppcc = "吉市住建提字"
    row.save()
    return row


@pytest.fixture
def division_head(db):
    return UserFactory(role=Role.BUREAU, username="head", full_name="科长")


@pytest.fixture
def division(division_head):
    return Division.objects.create(
        name="物业科", head=division_head, contact_name="张蕾", contact_phone="65126180"
    )


@pytest.fixture
def other_division(db):
    return Division.objects.create(name="法规科")


def make_proposal(user, number: int = 84, points: int = 2, **overrides):
    fields = {
        "kind": ProposalKind.CPPCC,
        "session": "十四届三次会议",
        "number": number,
        "title": "关于促进物业企业高质量发展的建议",
        "received_on": RECEIVED_ON,
        "full_text": "提案全文。",
        "proposers": [{"name": "杨娜", "phone": "13900000000", "address": "某路1号"}],
        "points": [{"title": f"建议{i}"} for i in range(1, points + 1)],
    }
    fields.update(overrides)
    return services.proposal_create(user=user, **fields)


def complete_sections(reply) -> dict[int, dict]:
    return {
        s.point_id: {"body": f"答复{s.point.position}。", "category": ReplyCategory.A}
        for s in reply.sections.select_related("point")
    }


def draft_complete_reply(user, proposal, division):
    services.proposal_assign(user=user, proposal=proposal, lead_division=division, on=RECEIVED_ON)
    reply = services.reply_start(user=user, proposal=proposal)
    services.reply_save(
        user=user, reply=reply, sections=complete_sections(reply), overall_category="A"
    )
    return reply


def to_review(user, proposal, division):
    reply = draft_complete_reply(user, proposal, division)
    services.reply_submit(user=user, reply=reply)
    return reply


def sign(head, reply, written_on=dt.date(2024, 6, 12)):
    return services.reply_sign_off(
        user=head,
        reply=reply,
        contact_name="张蕾",
        contact_phone="65126180",
        written_on=written_on,
    )


@pytest.fixture
def proposal(bureau_user):
    return make_proposal(bureau_user)


@pytest.fixture
def reviewed_reply(bureau_user, proposal, division):
    return to_review(bureau_user, proposal, division)


@pytest.fixture
def signed_reply(register, reviewed_reply, division_head):
    return sign(division_head, reviewed_reply)
