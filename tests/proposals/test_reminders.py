from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from proposals import services
from proposals.reminders import reminders_send
from proposals.tasks import send_due_reminders

pytestmark = pytest.mark.django_db


def test_overdue_proposal_is_mailed_to_its_lead_division(bureau_user, proposal, division):
    division.email = "wuye@example.org"
    division.save()
    services.proposal_assign(user=bureau_user, proposal=proposal, lead_division=division)
    assert reminders_send(today=dt.date(2024, 6, 12)) == 1
    assert "wuye@example.org" in mail.outbox[0].to
    assert proposal.title in mail.outbox[0].body


def test_nothing_is_sent_when_nothing_is_due(bureau_user, proposal, division):
    division.email = "wuye@example.org"
    division.save()
    services.proposal_assign(user=bureau_user, proposal=proposal, lead_division=division)
    assert reminders_send(today=dt.date(2024, 3, 20)) == 0


def test_task_runs():
    assert send_due_reminders() == 0
