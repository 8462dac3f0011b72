"""What the proposals app plugs into the portal (portal/menu.py, workbench.py, history.py)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal import history, menu, workbench

from .choices import ProposalState, Satisfaction, Waiting, state_after_feedback
from .models import Proposal, RegisterCounter, Reply
from .selectors import can_handle_proposals, proposal_workload

S = ProposalState

# The step each state waits for, in the order of the flow (re-handling comes first: a
# proposer is already unsatisfied). REPLIED and FEEDBACK wait for people, not for a deadline.
STATE_TODOS = [
    (S.REHANDLING, _("Proposals to re-handle (proposer unsatisfied)"), 30),
    (S.RECEIVED, _("Proposals to assign to a division"), 40),
    (S.ASSIGNED, _("Replies to start"), 50),
    (S.DRAFTING, _("Reply drafts being written"), 60),
    (S.REVIEW, _("Replies waiting for sign-off"), 70),
    (S.REPLIED, _("Replies waiting for the proposer's feedback"), 90),
    (S.FEEDBACK, _("Proposals to close"), 100),
]


def _list_url(**query: str) -> str:
    return f"{reverse('proposals:proposal_list')}?{urlencode(query)}"


def proposal_todos(user, today):
    """The bureau's proposal work: past and near deadlines, then each step of the flow."""
    if not can_handle_proposals(user):
        return
    work = proposal_workload(user=user, today=today)
    yield workbench.Todo(
        label=str(_("Proposals past their reply deadline")),
        count=work.overdue.count,
        overdue=work.overdue.count,
        due=work.overdue.due,
        url=_list_url(waiting=Waiting.OVERDUE),
        order=10,
    )
    yield workbench.Todo(
        label=str(_("Proposals due soon")),
        count=work.due_soon.count,
        due=work.due_soon.due,
        url=_list_url(waiting=Waiting.DUE_SOON),
        order=20,
    )
    for state, label, order in STATE_TODOS:
        step = work.state(state)
        yield workbench.Todo(
            label=str(label),
            count=step.count,
            overdue=step.overdue,
            due=step.due,
            url=_list_url(state=state),
            order=order,
        )
    yield workbench.Todo(
        label=str(_("Signed replies to publish")),
        count=work.to_publish,
        url=_list_url(waiting=Waiting.TO_PUBLISH),
        order=80,
    )


def _feedback_moves() -> dict:
    """Labels of the moves the feedback service records with the satisfaction's code as their
    note ("replied → rehandling: unsatisfied"): the note shows as the satisfaction's label."""
    moves = {}
    for satisfaction in Satisfaction:
        after = state_after_feedback(satisfaction)
        code = f"{S.REPLIED} → {after}: {satisfaction}"
        label = format_lazy("{} → {}：{}", S.REPLIED.label, after.label, satisfaction.label)
        moves[code] = label
    return moves


def register() -> None:
    menu.register(
        _("Proposals"),
        "proposals:proposal_list",
        allowed=can_handle_proposals,
        group=menu.PROPOSALS,
    )
    menu.register_public(_("Proposal replies"), "proposals:public_reply_list", order=40)
    workbench.register_todos(proposal_todos)
    history.register(
        Proposal,
        reasons={
            "received": pgettext_lazy("proposal history", "received"),
            "extended": pgettext_lazy("proposal history", "deadline extended"),
            **_feedback_moves(),
        },
        states=ProposalState,
    )
    history.register(
        Reply,
        reasons={
            "signed off": pgettext_lazy("proposal history", "signed off"),
            "published": pgettext_lazy("proposal history", "published"),
        },
    )
    history.register(
        RegisterCounter,
        reasons={
            "sequence continued from paper register": pgettext_lazy(
                "proposal history", "sequence continued from the paper register"
            )
        },
    )
