"""Deadline reminders: one e-mail per lead division listing what is overdue or due soon."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.utils.translation import gettext as _

from .models import Proposal
from .selectors import b_sections_due


def reminder_lines(*, today: dt.date) -> dict[str, list[str]]:
    """Division e-mail → lines to send (divisions without an e-mail are skipped)."""
    lines: dict[str, list[str]] = defaultdict(list)
    proposals = Proposal.objects.select_related("lead_division").order_by("reply_due")
    for label, rows in (
        (_("Overdue"), proposals.overdue(today)),
        (_("Due soon"), proposals.near_due(today)),
    ):
        for p in rows:
            if p.lead_division and p.lead_division.email:
                lines[p.lead_division.email].append(
                    f"{label}: {p.session} {p.number_label} {p.title} ({p.reply_due:%Y-%m-%d})"
                )
    for section in b_sections_due(today=today):
        division = section.reply.proposal.lead_division
        if division and division.email:
            lines[division.email].append(
                _("Second reply owed: %(title)s – %(point)s (planned %(date)s)")
                % {
                    "title": section.reply.proposal.title,
                    "point": section.point.title,
                    "date": section.due_on.isoformat(),
                }
            )
    return dict(lines)


def reminders_send(*, today: dt.date) -> int:
    """Send the reminders; returns the number of e-mails sent."""
    sent = 0
    for email, lines in reminder_lines(today=today).items():
        send_mail(
            _("Proposals needing attention"),
            "\n".join(lines),
            settings.DEFAULT_FROM_EMAIL,
            [email],
        )
        sent += 1
    return sent
