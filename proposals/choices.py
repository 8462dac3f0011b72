"""Enumerations of the proposals app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProposalKind(models.TextChoices):
    CPPCC = "cppcc", _("CPPCC member proposal")  # 政协提案
    NPC = "npc", _("People's congress deputy suggestion")  # 人大建议


class ProposalState(models.TextChoices):
    RECEIVED = "received", _("Received")
    ASSIGNED = "assigned", _("Assigned")
    DRAFTING = "drafting", _("Drafting")
    REVIEW = "review", _("Under review")
    REPLIED = "replied", _("Replied")
    FEEDBACK = "feedback", _("Feedback received")
    CLOSED = "closed", _("Closed")
    REHANDLING = "rehandling", _("Re-handling")


# States in which the bureau still owes a reply. The reply deadline runs from receipt, so a
# proposal still waiting to be assigned is as late as one being drafted.
OPEN_STATES = (
    ProposalState.RECEIVED,
    ProposalState.ASSIGNED,
    ProposalState.DRAFTING,
    ProposalState.REVIEW,
    ProposalState.REHANDLING,
)


class Waiting(models.TextChoices):
    """What a proposal waits for, as the to-do list and the list's filter name it."""

    OVERDUE = "overdue", _("Past the reply deadline")
    DUE_SOON = "due_soon", _("Reply due soon")
    TO_PUBLISH = "to_publish", _("Signed reply to publish")


class ReplyCategory(models.TextChoices):
    A = "A", _("A – solved or adopted")
    B = "B", _("B – being solved or planned")
    C = "C", _("C – kept for reference")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY = "basically", _("Basically satisfied")
    UNSATISFIED = "unsatisfied", _("Unsatisfied")


def state_after_feedback(satisfaction: str) -> ProposalState:
    """An unsatisfied proposer sends the proposal back for re-handling; any other answer ends
    the handling with the feedback."""
    if satisfaction == Satisfaction.UNSATISFIED:
        return ProposalState.REHANDLING
    return ProposalState.FEEDBACK


class SequenceKind(models.TextChoices):
    """Which register sequence a counter row numbers."""

    INDEX = "index", _("Index number")  # 索引号: one sequence per year for the bureau
    DOC_CPPCC = "doc_cppcc", _("Document number (proposals)")  # 发文字号 …提字
    DOC_NPC = "doc_npc", _("Document number (suggestions)")  # 发文字号 …建字
