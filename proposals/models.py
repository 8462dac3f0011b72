"""Proposals of CPPCC members and people's congress deputies, the bureau's replies,
their register numbers and the proposers' feedback."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from . import deadlines
from .choices import (
    OPEN_STATES,
    ProposalKind,
    ProposalState,
    ReplyCategory,
    Satisfaction,
    SequenceKind,
)


class Division(models.Model):
    """A division of the bureau (科室) that leads or co-handles proposals."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="headed_divisions",
        verbose_name=_("division head"),
    )
    email = models.EmailField(_("e-mail"), blank=True)
    contact_name = models.CharField(_("contact name"), max_length=30, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("division")
        verbose_name_plural = _("divisions")

    def __str__(self) -> str:
        return self.name


class RegisterSettings(models.Model):
    """The bureau's register of reply documents: organisation code, prefixes, issuer (one row)."""

    organisation_code = models.CharField(
        _("organisation code"),
        max_length=30,
        blank=True,
        help_text=_("First part of every index number, e.g. 1120200MB17140993."),
    )
    issuing_organ = models.CharField(_("issuing organ"), max_length=60)
    doc_prefix_cppcc = models.CharField(_("document number prefix (proposals)"), max_length=30)
    doc_prefix_npc = models.CharField(_("document number prefix (suggestions)"), max_length=30)
    classification_cppcc = models.CharField(_("classification (proposals)"), max_length=60)
    classification_npc = models.CharField(_("classification (suggestions)"), max_length=60)
    title_template_cppcc = models.CharField(
        _("reply title (proposals)"),
        max_length=120,
        help_text=_("{session} and {number} are replaced."),
    )
    title_template_npc = models.CharField(_("reply title (suggestions)"), max_length=120)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("register settings")
        verbose_name_plural = _("register settings")

    def __str__(self) -> str:
        return self.issuing_organ

    @classmethod
    def get_solo(cls) -> RegisterSettings:
        """The one row, created from the settings' defaults the first time it is asked for."""
        defaults = {
            "organisation_code": settings.PROPOSALS_ORGANISATION_CODE,
            "issuing_organ": settings.BUREAU_NAME,
            "doc_prefix_cppcc": settings.PROPOSALS_DOC_PREFIX_CPPCC,
            "doc_prefix_npc": settings.PROPOSALS_DOC_PREFIX_NPC,
            "classification_cppcc": "委员提案 ; 其它",
            "classification_npc": "代表建议 ; 其它",
            "title_template_cppcc": "对市政协{session}第{number}号委员提案的答复",
            "title_template_npc": "对市人大{session}第{number}号代表建议的答复",
        }
        row, _created = cls.objects.get_or_create(pk=1, defaults=defaults)
        return row

    def prefix_for(self, kind: str) -> str:
        return self.doc_prefix_npc if kind == ProposalKind.NPC else self.doc_prefix_cppcc

    def classification_for(self, kind: str) -> str:
        return self.classification_npc if kind == ProposalKind.NPC else self.classification_cppcc

    def title_for(self, proposal: Proposal) -> str:
        template = (
            self.title_template_npc
            if proposal.kind == ProposalKind.NPC
            else self.title_template_cppcc
        )
        return template.format(session=proposal.session, number=proposal.number_label)


class RegisterCounter(models.Model):
    """The last number issued in one register sequence for one year.

    Sign-off locks this row (select_for_update) so concurrent sign-offs queue up:
    numbers never repeat, and as the increment shares the sign-off's transaction,
    a failed sign-off gives its number back (no gaps)."""

    kind = models.CharField(_("sequence"), max_length=20, choices=SequenceKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number issued"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "kind"]
        verbose_name = _("register counter")
        verbose_name_plural = _("register counters")
        constraints = [
            models.UniqueConstraint(fields=["kind", "year"], name="register_counter_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year}: {self.last}"


def overdue_q(today: dt.date) -> Q:
    """Open (a reply still owed, whatever the step) and past the reply deadline."""
    return Q(state__in=OPEN_STATES, reply_due__lt=today)


def near_due_q(today: dt.date, within: int | None = None) -> Q:
    """Open and due within the warning period (today included)."""
    days = deadlines.near_due_days() if within is None else within
    return Q(
        state__in=OPEN_STATES,
        reply_due__gte=today,
        reply_due__lte=today + dt.timedelta(days=days),
    )


def reply_to_publish_q() -> Q:
    """A signed-off reply of the proposal is not yet in the disclosure column."""
    return Q(
        Exists(
            Reply.objects.filter(
                proposal=OuterRef("pk"), signed_off_at__isnull=False, published_on__isnull=True
            )
        )
    )


class ProposalQuerySet(models.QuerySet):
    def open(self) -> ProposalQuerySet:
        return self.filter(state__in=OPEN_STATES)

    def overdue(self, today: dt.date) -> ProposalQuerySet:
        return self.filter(overdue_q(today))

    def near_due(self, today: dt.date, within: int | None = None) -> ProposalQuerySet:
        return self.filter(near_due_q(today, within))

    def reply_to_publish(self) -> ProposalQuerySet:
        return self.filter(reply_to_publish_q())


class Proposal(models.Model):
    """A CPPCC proposal or a deputy's suggestion assigned to the bureau."""

    kind = models.CharField(_("kind"), max_length=10, choices=ProposalKind.choices)
    session = models.CharField(
        _("session"), max_length=40, help_text=_("For example 十四届三次会议.")
    )
    number = models.PositiveIntegerField(_("number"), validators=[MinValueValidator(1)])
    title = models.CharField(_("title"), max_length=200)
    received_on = models.DateField(_("received on"))
    full_text = models.TextField(_("full text"))
    state = models.CharField(
        _("state"), max_length=20, choices=ProposalState.choices, default=ProposalState.RECEIVED
    )
    lead_division = models.ForeignKey(
        Division,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_proposals",
        verbose_name=_("lead division"),
    )
    assigned_on = models.DateField(_("assigned on"), null=True, blank=True)
    reply_due = models.DateField(_("reply due"), null=True, blank=True)
    extension_reason = models.TextField(_("reason for the extension"), blank=True)
    return_reason = models.TextField(_("reason for returning"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "number"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "session", "number"], name="proposal_unique_number_in_session"
            ),
            models.CheckConstraint(
                name="proposal_assigned_has_lead",
                condition=Q(state=ProposalState.RECEIVED) | Q(lead_division__isnull=False),
                violation_error_message=_("An assigned proposal needs a lead division."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session} {self.number_label} {self.title}"

    @property
    def number_label(self) -> str:
        return f"{self.number:03d}"

    @property
    def is_extended(self) -> bool:
        return bool(self.extension_reason)

    def is_overdue(self, today: dt.date) -> bool:
        return self.state in OPEN_STATES and deadlines.is_overdue(self.reply_due, today)

    @property
    def overdue(self) -> bool:
        return self.is_overdue(timezone.localdate())

    @property
    def near_due(self) -> bool:
        return self.state in OPEN_STATES and deadlines.is_near_due(
            self.reply_due, timezone.localdate()
        )

    @property
    def return_deadline(self) -> dt.date | None:
        return deadlines.return_deadline(self.assigned_on) if self.assigned_on else None


class Proposer(models.Model):
    """A member or deputy who signed a proposal; phone and address are never published."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="proposers", verbose_name=_("proposal")
    )
    position = models.PositiveSmallIntegerField(_("order"), default=1)
    name = models.CharField(_("name"), max_length=30)
    phone = models.CharField(_("phone (private)"), max_length=30, blank=True)
    address = models.CharField(_("address (private)"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["proposal", "position"]
        verbose_name = _("proposer")
        verbose_name_plural = _("proposers")

    def __str__(self) -> str:
        return self.name


class SuggestionPoint(models.Model):
    """One separate suggestion of a proposal; the reply answers each in its own section."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="points", verbose_name=_("proposal")
    )
    position = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("suggestion"), max_length=200)
    text = models.TextField(_("details"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["proposal", "position"]
        verbose_name = _("suggestion point")
        verbose_name_plural = _("suggestion points")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "position"], name="suggestion_point_unique_position"
            )
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class CoHandler(models.Model):
    """A division co-handling (协办) a proposal, with its input to the lead division."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="co_handlers", verbose_name=_("proposal")
    )
    division = models.ForeignKey(
        Division, on_delete=models.PROTECT, related_name="co_handled", verbose_name=_("division")
    )
    input_due = models.DateField(_("input due"))
    input_text = models.TextField(_("input"), blank=True)
    input_on = models.DateField(_("input received on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["proposal", "division__name"]
        verbose_name = _("co-handler")
        verbose_name_plural = _("co-handlers")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "division"], name="co_handler_unique")
        ]

    def __str__(self) -> str:
        return str(self.division)


class ReplyQuerySet(models.QuerySet):
    def published(self) -> ReplyQuerySet:
        return self.filter(published_on__isnull=False).exclude(index_no="")


class Reply(models.Model):
    """The bureau's reply document to a proposal (one per round: a re-handling adds a round)."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.PROTECT, related_name="replies", verbose_name=_("proposal")
    )
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    salutation = models.CharField(_("salutation"), max_length=100, blank=True)
    opening = models.TextField(_("opening"), blank=True)
    closing = models.TextField(_("closing"), blank=True)
    overall_category = models.CharField(
        _("overall category"), max_length=1, choices=ReplyCategory.choices, blank=True
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("drafted by"),
    )
    # Register metadata: assigned by the sign-off service, never typed by hand.
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed off by"),
    )
    signed_off_at = models.DateTimeField(_("signed off at"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    index_year = models.PositiveSmallIntegerField(_("index year"), null=True, blank=True)
    index_seq = models.PositiveIntegerField(_("index sequence"), null=True, blank=True)
    index_no = models.CharField(_("index number"), max_length=60, blank=True)
    doc_no = models.CharField(_("document number"), max_length=60, blank=True)
    classification = models.CharField(_("classification"), max_length=60, blank=True)
    issuing_organ = models.CharField(_("issuing organ"), max_length=60, blank=True)
    written_on = models.DateField(_("date written"), null=True, blank=True)
    published_on = models.DateField(_("date published"), null=True, blank=True)
    contact_name = models.CharField(_("contact name"), max_length=30, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    history = HistoricalRecords()

    objects = ReplyQuerySet.as_manager()

    class Meta:
        ordering = ["proposal", "round"]
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "round"], name="reply_unique_round"),
            models.UniqueConstraint(
                fields=["index_no"], condition=~Q(index_no=""), name="reply_unique_index_no"
            ),
            models.UniqueConstraint(
                fields=["doc_no"], condition=~Q(doc_no=""), name="reply_unique_doc_no"
            ),
            models.UniqueConstraint(
                fields=["index_year", "index_seq"], name="reply_unique_index_seq"
            ),
            models.CheckConstraint(
                name="reply_published_after_sign_off",
                condition=Q(published_on__isnull=True) | ~Q(index_no=""),
            ),
        ]

    def __str__(self) -> str:
        return self.doc_no or self.title or f"{self.proposal} #{self.round}"

    @property
    def is_signed_off(self) -> bool:
        return self.signed_off_at is not None

    @property
    def is_published(self) -> bool:
        return self.published_on is not None

    def get_public_url(self) -> str:
        if not self.index_seq:
            return ""
        return reverse(
            "proposals:public_reply_detail",
            kwargs={"year": str(self.index_year), "seq": f"{self.index_seq:05d}"},
        )

    def get_public_pdf_url(self) -> str:
        if not self.index_seq:
            return ""
        return reverse(
            "proposals:public_reply_pdf",
            kwargs={"year": str(self.index_year), "seq": f"{self.index_seq:05d}"},
        )

    @property
    def public_key(self) -> str:
        """The reply's public address part: index year and sequence, e.g. 2024-05042."""
        return f"{self.index_year}-{self.index_seq:05d}" if self.index_seq else ""


class ReplySection(models.Model):
    """The reply's answer to one suggestion point, with its category."""

    reply = models.ForeignKey(
        Reply, on_delete=models.CASCADE, related_name="sections", verbose_name=_("reply")
    )
    point = models.ForeignKey(
        SuggestionPoint,
        on_delete=models.PROTECT,
        related_name="sections",
        verbose_name=_("suggestion point"),
    )
    body = models.TextField(_("answer"), blank=True)
    category = models.CharField(
        _("category"), max_length=1, choices=ReplyCategory.choices, blank=True
    )
    due_on = models.DateField(
        _("planned for"), null=True, blank=True, help_text=_("Required for category B.")
    )
    reasons = models.TextField(_("reasons"), blank=True, help_text=_("Required for category C."))
    follow_up_label = models.CharField(_("follow-up"), max_length=120, blank=True)
    follow_up_url = models.CharField(
        _("follow-up link"),
        max_length=200,
        blank=True,
        help_text=_("A page of the portal showing what was done, e.g. /credit/…"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["reply", "point__position"]
        verbose_name = _("reply section")
        verbose_name_plural = _("reply sections")
        constraints = [
            models.UniqueConstraint(fields=["reply", "point"], name="reply_section_unique_point")
        ]

    def __str__(self) -> str:
        return str(self.point)

    def clean(self) -> None:
        super().clean()
        if self.follow_up_url:
            from .links import validate_portal_path

            try:
                validate_portal_path(self.follow_up_url)
            except ValidationError as exc:
                raise ValidationError({"follow_up_url": exc.messages}) from exc


class Feedback(models.Model):
    """The proposer's satisfaction with a reply, entered by bureau staff."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.PROTECT, related_name="feedbacks", verbose_name=_("proposal")
    )
    reply = models.ForeignKey(
        Reply, on_delete=models.PROTECT, related_name="feedbacks", verbose_name=_("reply")
    )
    satisfaction = models.CharField(_("satisfaction"), max_length=20, choices=Satisfaction.choices)
    comments = models.TextField(_("comments"), blank=True)
    received_on = models.DateField(_("received on"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["proposal", "received_on"]
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        constraints = [models.UniqueConstraint(fields=["reply"], name="feedback_one_per_reply")]

    def __str__(self) -> str:
        return f"{self.proposal}: {self.get_satisfaction_display()}"
