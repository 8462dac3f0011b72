"""Emergency use of the fund: applications and their evidence."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import FileExtensionValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..choices import EMERGENCY_WAITING, EmergencyKind, EmergencyStatus
from .common import (
    CENT,
    EVIDENCE_EXTENSIONS,
    MONEY,
    ScopedWork,
    default_step_hours,
    validate_evidence_size,
)


class EmergencyQuerySet(models.QuerySet):
    def waiting(self) -> EmergencyQuerySet:
        return self.filter(status__in=EMERGENCY_WAITING)

    def overdue(self, now: dt.datetime | None = None) -> EmergencyQuerySet:
        return self.waiting().filter(step_due_at__lt=now or timezone.now())


class EmergencyApplication(ScopedWork):
    """An emergency use of the fund (应急使用): certified, confirmed and approved against clocks."""

    compound = models.ForeignKey(
        "companies.Compound",
        on_delete=models.PROTECT,
        related_name="emergency_applications",
        verbose_name=_("compound"),
    )
    kind = models.CharField(_("emergency"), max_length=20, choices=EmergencyKind.choices)
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"))
    quote_amount = models.DecimalField(
        _("quoted cost"), **MONEY, validators=[MinValueValidator(CENT)]
    )
    quote_file = models.FileField(
        _("quote"),
        upload_to="funds/quotes/%Y/%m/",
        blank=True,
        validators=[FileExtensionValidator(EVIDENCE_EXTENSIONS), validate_evidence_size],
    )
    status = models.CharField(
        _("status"), max_length=20, choices=EmergencyStatus.choices, default=EmergencyStatus.FILED
    )
    step_hours = models.PositiveSmallIntegerField(
        _("hours per step"), default=default_step_hours, validators=[MinValueValidator(1)]
    )
    step_started_at = models.DateTimeField(_("step started"), default=timezone.now)
    step_due_at = models.DateTimeField(_("step due"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    filed_at = models.DateTimeField(_("filed"), default=timezone.now)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    certified_at = models.DateTimeField(_("certified"), null=True, blank=True)
    certified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    approved_amount = models.DecimalField(_("approved cost"), **MONEY, null=True, blank=True)
    rejected_at = models.DateTimeField(_("rejected"), null=True, blank=True)
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    reject_reason = models.TextField(_("reason for rejection"), blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    history = HistoricalRecords()

    objects = EmergencyQuerySet.as_manager()

    class Meta:
        ordering = ["-filed_at", "-pk"]
        verbose_name = _("emergency use application")
        verbose_name_plural = _("emergency use applications")
        # Flat in the number of applications: the list newest first; a status's list, its
        # count (capped) and its oldest; its overdue count (capped) and earliest deadline.
        indexes = [
            models.Index(fields=["-filed_at", "-id"], name="emergency_newest"),
            models.Index(fields=["status", "filed_at", "id"], name="emergency_status_filed"),
            models.Index(fields=["status", "step_due_at"], name="emergency_status_due"),
        ]
        constraints = [
            models.CheckConstraint(
                name="emergency_quote_positive", condition=Q(quote_amount__gt=0)
            ),
            models.CheckConstraint(
                name="emergency_approved_within_quote",
                condition=Q(approved_amount__isnull=True)
                | Q(approved_amount__gt=0, approved_amount__lte=F("quote_amount")),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_waiting(self) -> bool:
        return self.status in EMERGENCY_WAITING

    def is_overdue(self, now: dt.datetime | None = None) -> bool:
        return bool(
            self.is_waiting and self.step_due_at and self.step_due_at < (now or timezone.now())
        )

    @property
    def overdue(self) -> bool:
        return self.is_overdue()

    @property
    def age(self) -> dt.timedelta:
        return timezone.now() - self.filed_at

    @property
    def step_age(self) -> dt.timedelta:
        return timezone.now() - self.step_started_at


class EmergencyEvidence(models.Model):
    """A photo or document showing the emergency."""

    application = models.ForeignKey(
        EmergencyApplication,
        on_delete=models.PROTECT,
        related_name="evidence",
        verbose_name=_("application"),
    )
    file = models.FileField(
        _("file"),
        upload_to="funds/evidence/%Y/%m/",
        validators=[FileExtensionValidator(EVIDENCE_EXTENSIONS), validate_evidence_size],
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.file.name
