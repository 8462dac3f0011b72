"""Publication of the red and black lists: versions, objections and notices to firms."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import FileExtensionValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..choices import Grade
from .common import YEAR_VALIDATORS
from .ratings import Rating, RatingRun

ATTACHMENT_EXTENSIONS = ["pdf", "jpg", "jpeg", "png"]


class PublicationStatus(models.TextChoices):
    PUBLICITY = "publicity", _("Publicity period")
    PUBLISHED = "published", _("Published")


class ObjectionStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class NoticeKind(models.TextChoices):
    COMMENDATION = "commendation", _("Commendation notice")
    RECTIFICATION = "rectification", _("Rectification notice")


class NoticeStatus(models.TextChoices):
    ISSUED = "issued", _("Issued")
    ANSWERED = "answered", _("Answered")
    RECTIFIED = "rectified", _("Rectified")
    OVERDUE = "overdue", _("Overdue")
    SENT_BACK = "sent_back", _("Sent back")


# A notice still waiting: for the firm's answer (issued, or sent back after re-inspection) or
# the re-inspection's verdict (answered).
OPEN_NOTICE_STATUSES = (NoticeStatus.ISSUED, NoticeStatus.ANSWERED, NoticeStatus.SENT_BACK)


class Publication(models.Model):
    """A year's red/black list: its publicity notice (公示), then its published versions."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True, validators=YEAR_VALIDATORS)
    run = models.ForeignKey(
        RatingRun, on_delete=models.PROTECT, related_name="publications", verbose_name=_("run")
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=PublicationStatus.choices,
        default=PublicationStatus.PUBLICITY,
    )
    period_start = models.DateTimeField(_("publicity from"))
    publicity_days = models.PositiveSmallIntegerField(
        _("publicity days"), validators=[MinValueValidator(1)]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")

    def __str__(self) -> str:
        return str(_("Red and black list %(year)s") % {"year": self.year})

    @property
    def period_end(self) -> dt.datetime:
        return self.period_start + dt.timedelta(days=self.publicity_days)

    @property
    def is_publicity(self) -> bool:
        return self.status == PublicationStatus.PUBLICITY


class PublicationVersion(models.Model):
    """One frozen, published version of a year's red and black lists (never overwritten)."""

    publication = models.ForeignKey(
        Publication,
        on_delete=models.PROTECT,
        related_name="versions",
        verbose_name=_("publication"),
    )
    number = models.PositiveSmallIntegerField(_("version"), validators=[MinValueValidator(1)])
    run = models.ForeignKey(
        RatingRun,
        on_delete=models.PROTECT,
        related_name="publication_versions",
        verbose_name=_("run"),
    )
    published_at = models.DateTimeField(_("published"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    change_note = models.TextField(_("change note"), blank=True)
    # The canonical JSON text exactly as served by the .json download: its bytes are hashed.
    content = models.TextField(_("content"))
    digest = models.CharField(_("SHA-256"), max_length=64)

    class Meta:
        ordering = ["publication", "number"]
        verbose_name = _("published version")
        verbose_name_plural = _("published versions")
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "number"], name="publicationversion_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.publication_id} v{self.number}"


class Objection(models.Model):
    """A firm's objection (异议) to its own proposed rating during the publicity period."""

    publication = models.ForeignKey(
        Publication,
        on_delete=models.PROTECT,
        related_name="objections",
        verbose_name=_("publication"),
    )
    rating = models.ForeignKey(
        Rating, on_delete=models.PROTECT, related_name="objections", verbose_name=_("rating")
    )
    firm = models.ForeignKey(
        "companies.Firm",
        on_delete=models.PROTECT,
        related_name="credit_objections",
        verbose_name=_("firm"),
    )
    text = models.TextField(_("objection"), max_length=5000)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ObjectionStatus.choices,
        default=ObjectionStatus.PENDING,
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("filed by"),
    )
    filed_at = models.DateTimeField(_("filed"))
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["publication", "filed_at", "pk"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        indexes = [models.Index(fields=["publication", "status"], name="objection_pub_status")]

    def __str__(self) -> str:
        return f"{self.publication_id}/{self.firm_id} {self.status}"

    @property
    def is_pending(self) -> bool:
        return self.status == ObjectionStatus.PENDING


class ObjectionAttachment(models.Model):
    """A file (pdf, jpg, png) filed with an objection."""

    objection = models.ForeignKey(
        Objection, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("objection")
    )
    file = models.FileField(
        _("file"),
        upload_to="credit/objections/%Y/",
        max_length=200,
        validators=[FileExtensionValidator(ATTACHMENT_EXTENSIONS)],
    )
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["objection", "pk"]
        verbose_name = _("objection attachment")
        verbose_name_plural = _("objection attachments")

    def __str__(self) -> str:
        return self.name


class CreditNotice(models.Model):
    """A commendation (通报表扬, grade A) or rectification notice (整改通知, grade D) to a firm."""

    publication = models.ForeignKey(
        Publication, on_delete=models.PROTECT, related_name="notices", verbose_name=_("publication")
    )
    version = models.ForeignKey(
        PublicationVersion,
        on_delete=models.PROTECT,
        related_name="notices",
        verbose_name=_("published version"),
    )
    firm = models.ForeignKey(
        "companies.Firm",
        on_delete=models.PROTECT,
        related_name="credit_notices",
        verbose_name=_("firm"),
    )
    kind = models.CharField(_("kind"), max_length=15, choices=NoticeKind.choices)
    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=NoticeStatus.choices, default=NoticeStatus.ISSUED
    )
    issued_at = models.DateTimeField(_("issued"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    deadline = models.DateField(_("rectify by"), null=True, blank=True)
    # What the bureau found and what it requires (filled from the rating's reasons on issue).
    findings = models.TextField(_("findings"), blank=True, max_length=5000)
    measures = models.TextField(_("required measures"), blank=True, max_length=5000)
    # The street whose officers re-inspect the notice for the bureau (属地复查), if delegated.
    delegated_street = models.ForeignKey(
        "portal.Street",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("re-inspection delegated to"),
    )
    # The deduction the bureau recorded when the notice went unfulfilled.
    deduction_event = models.OneToOneField(
        "credit.CreditEvent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rectification_notice",
        verbose_name=_("deduction event"),
    )
    # A firm on the black list is spot-checked more often (增加日常抽查频次).
    extra_spot_checks = models.BooleanField(_("more frequent spot checks"), default=False)
    response = models.TextField(_("response"), blank=True)
    response_file = models.FileField(
        _("response file"),
        upload_to="credit/notices/%Y/",
        blank=True,
        max_length=200,
        validators=[FileExtensionValidator(ATTACHMENT_EXTENSIONS)],
    )
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    closing_note = models.TextField(_("closing note"), blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["publication", "kind", "firm__credit_code"]
        verbose_name = _("credit notice")
        verbose_name_plural = _("credit notices")
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "firm", "kind"], name="creditnotice_one_per_firm_and_kind"
            ),
            models.CheckConstraint(
                name="creditnotice_rectification_has_deadline",
                condition=~Q(kind="rectification") | Q(deadline__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.publication_id}/{self.firm_id} {self.kind}"

    @property
    def is_rectification(self) -> bool:
        return self.kind == NoticeKind.RECTIFICATION

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_NOTICE_STATUSES

    def is_past_deadline(self, today: dt.date) -> bool:
        """Waiting for the firm (issued or sent back) past its deadline: flagged overdue."""
        return (
            self.is_rectification
            and self.status in (NoticeStatus.ISSUED, NoticeStatus.SENT_BACK)
            and self.deadline < today
        )
