"""Credit repair (信用修复): a black-listed firm's application to leave the published black
list, decided by the bureau within working days counted on the bureau's calendar."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .publication import ATTACHMENT_EXTENSIONS, Publication, PublicationVersion


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Holiday")
    WORKDAY = "workday", _("Make-up working day")


class CalendarDay(models.Model):
    """A statutory holiday, or a weekend day made a working day (调休), of the bureau's calendar."""

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=DayKind.choices)
    name = models.CharField(_("name"), max_length=50)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"


class RepairStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class RepairApplication(models.Model):
    """A firm's application for credit repair (信用修复) from a year's published black list."""

    publication = models.ForeignKey(
        Publication,
        on_delete=models.PROTECT,
        related_name="repair_applications",
        verbose_name=_("publication"),
    )
    # The published version on whose black list the firm stood when it applied.
    version = models.ForeignKey(
        PublicationVersion,
        on_delete=models.PROTECT,
        related_name="repair_applications",
        verbose_name=_("published version"),
    )
    firm = models.ForeignKey(
        "companies.Firm",
        on_delete=models.PROTECT,
        related_name="credit_repairs",
        verbose_name=_("firm"),
    )
    rectification = models.TextField(_("what was rectified"), max_length=5000)
    status = models.CharField(
        _("status"), max_length=10, choices=RepairStatus.choices, default=RepairStatus.PENDING
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("filed by"),
    )
    filed_at = models.DateTimeField(_("filed"))
    decide_by = models.DateField(_("decide by"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    reasons = models.TextField(_("reasons"), blank=True, max_length=5000)
    # Given when the decision came after decide_by: why it was late.
    delay_reason = models.TextField(_("reason for the delay"), blank=True, max_length=2000)
    # The version that approval published without the firm.
    published_version = models.OneToOneField(
        PublicationVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="repair",
        verbose_name=_("version published"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-filed_at", "-pk"]
        verbose_name = _("credit repair application")
        verbose_name_plural = _("credit repair applications")
        constraints = [
            models.UniqueConstraint(
                fields=["firm"],
                condition=Q(status="pending"),
                name="repairapplication_one_pending_per_firm",
            ),
            models.CheckConstraint(
                name="repairapplication_refusal_has_reasons",
                condition=~Q(status="refused") | ~Q(reasons=""),
            ),
        ]
        indexes = [models.Index(fields=["status", "decide_by"], name="repair_status_due")]

    def __str__(self) -> str:
        return f"{self.publication_id}/{self.firm_id} {self.status}"

    @property
    def is_pending(self) -> bool:
        return self.status == RepairStatus.PENDING


class RepairEvidence(models.Model):
    """A file (pdf, jpg, png) showing what a firm applying for credit repair rectified."""

    application = models.ForeignKey(
        RepairApplication,
        on_delete=models.CASCADE,
        related_name="evidence",
        verbose_name=_("credit repair application"),
    )
    file = models.FileField(
        _("file"),
        upload_to="credit/repairs/%Y/",
        max_length=200,
        validators=[FileExtensionValidator(ATTACHMENT_EXTENSIONS)],
    )
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["application", "pk"]
        verbose_name = _("repair evidence")
        verbose_name_plural = _("repair evidence")

    def __str__(self) -> str:
        return self.name
