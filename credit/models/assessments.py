"""Inputs of the rating: the assessment window, assessments and credit events."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..choices import AssessorRole, EventKind
from .common import SCORE_VALIDATORS, YEAR_VALIDATORS
from .rules import Indicator


class AssessmentWindow(models.Model):
    """Whether the officers may enter a year's assessments (the bureau opens and closes it)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True, validators=YEAR_VALIDATORS)
    is_open = models.BooleanField(_("open"), default=False)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("opened by"),
    )
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("assessment window")
        verbose_name_plural = _("assessment windows")

    def __str__(self) -> str:
        return str(self.year)


class Assessment(models.Model):
    """One score (考核评分) of one indicator of a firm's service at a compound, by one role."""

    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    compound = models.ForeignKey(
        "companies.Compound",
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("compound"),
    )
    firm = models.ForeignKey(
        "companies.Firm",
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("firm"),
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("indicator")
    )
    assessor_role = models.CharField(_("assessor"), max_length=20, choices=AssessorRole.choices)
    score = models.DecimalField(
        _("score"), max_digits=5, decimal_places=2, validators=SCORE_VALIDATORS
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["year", "compound", "indicator__order", "assessor_role"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "compound", "firm", "indicator", "assessor_role"],
                name="assessment_one_per_key",
                violation_error_message=_(
                    "This role has already scored this indicator for this compound and firm."
                ),
            ),
            models.CheckConstraint(
                name="assessment_score_0_100",
                condition=Q(score__gte=0) & Q(score__lte=100),
                violation_error_message=_("A score lies between 0 and 100."),
            ),
        ]
        indexes = [models.Index(fields=["year", "firm"], name="assessment_year_firm")]

    def __str__(self) -> str:
        return f"{self.year} {self.compound_id}/{self.firm_id} {self.indicator_id} {self.assessor_role}"


class CreditEvent(models.Model):
    """A bonus, deduction or veto (信用事件) of a firm in a year."""

    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    firm = models.ForeignKey(
        "companies.Firm",
        on_delete=models.PROTECT,
        related_name="credit_events",
        verbose_name=_("firm"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=EventKind.choices)
    points = models.DecimalField(
        _("points"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Ignored for a veto."),
    )
    date = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=500)
    evidence = models.FileField(
        _("evidence"), upload_to="credit/evidence/%Y/", blank=True, max_length=200
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
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["year", "firm", "date"]
        verbose_name = _("credit event")
        verbose_name_plural = _("credit events")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "firm", "kind", "date", "reason"],
                name="creditevent_one_per_key",
                violation_error_message=_("This event is already recorded."),
            ),
            models.CheckConstraint(
                name="creditevent_points_nonnegative", condition=Q(points__gte=0)
            ),
        ]
        indexes = [models.Index(fields=["year", "firm"], name="creditevent_year_firm")]

    def __str__(self) -> str:
        return f"{self.year} {self.firm_id} {self.kind} {self.points}"

    def clean(self) -> None:
        super().clean()
        if self.year and isinstance(self.date, dt.date) and self.date.year != self.year:
            raise ValidationError(
                {"date": _("The date must lie within the year %(year)s.") % {"year": self.year}},
                code="date_outside_year",
            )
        if self.reason is not None:
            self.reason = self.reason.strip()
