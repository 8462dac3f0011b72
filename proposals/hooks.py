"""What the proposals app plugs into the portal (portal/menu.py, workbench.py)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal import menu, workbench

from .selectors import can_handle_proposals, proposals_due


def proposal_todos(user, today):
    """Proposals past their reply deadline, and those due within the warning period."""
    if not can_handle_proposals(user):
        return
    due = proposals_due(user=user, today=today)
    url = reverse("proposals:proposal_list")
    overdue, near = due["overdue"], due["near_due"]
    yield workbench.Todo(
        label=str(_("Proposals past their reply deadline")),
        count=len(overdue),
        overdue=len(overdue),
        due=overdue[0].reply_due if overdue else None,
        url=url,
        order=10,
    )
    yield workbench.Todo(
        label=str(_("Proposals due soon")),
        count=len(near),
        due=near[0].reply_due if near else None,
        url=url,
        order=20,
    )


def register() -> None:
    menu.register(
        _("Proposals"),
        "proposals:proposal_list",
        allowed=can_handle_proposals,
        group=menu.PROPOSALS,
    )
    menu.register_public(_("Proposal replies"), "proposals:public_reply_list", order=40)
    workbench.register_todos(proposal_todos)
