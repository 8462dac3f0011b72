"""Spot-check plans (双随机一公开), their drawn checks and the inspectors' results."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import (
    DEFAULT_CHECKS_PER_YEAR,
    EVIDENCE_EXTENSIONS,
    PHOTO_EXTENSIONS,
    RECTIFYING_STATES,
    CheckState,
    Outcome,
    PlanStatus,
)
from .draw import months_between

PER_YEAR_VALIDATORS = [MaxValueValidator(52)]


class Plan(models.Model):
    """A period's spot-check plan: frequencies by grade, a pool of inspectors, and its draw."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))
    checks_a = models.PositiveSmallIntegerField(
        _("checks a year, grade A"),
        default=DEFAULT_CHECKS_PER_YEAR["A"],
        validators=PER_YEAR_VALIDATORS,
    )
    checks_b = models.PositiveSmallIntegerField(
        _("checks a year, grade B"),
        default=DEFAULT_CHECKS_PER_YEAR["B"],
        validators=PER_YEAR_VALIDATORS,
    )
    checks_c = models.PositiveSmallIntegerField(
        _("checks a year, grade C"),
        default=DEFAULT_CHECKS_PER_YEAR["C"],
        validators=PER_YEAR_VALIDATORS,
    )
    checks_d = models.PositiveSmallIntegerField(
        _("checks a year, grade D"),
        default=DEFAULT_CHECKS_PER_YEAR["D"],
        validators=PER_YEAR_VALIDATORS,
    )
    inspectors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="spot_check_plans", verbose_name=_("inspectors")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    # Fixed when the plan is created, before anyone sees the candidates: the published list
    # it is derived from cannot be chosen afterwards.
    basis_version = models.ForeignKey(
        "credit.PublicationVersion",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("red and black list version"),
    )
    basis_digest = models.CharField(_("SHA-256 of the list"), max_length=64)
    seed = models.CharField(_("seed"), max_length=64)
    # The published document of the draw (candidates, pool, frequencies), byte for byte.
    document = models.TextField(_("candidates"), blank=True)
    document_digest = models.CharField(_("SHA-256 of the candidates"), max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["document"])

    class Meta:
        ordering = ["-start", "-pk"]
        verbose_name = _("spot-check plan")
        verbose_name_plural = _("spot-check plans")
        constraints = [
            models.CheckConstraint(
                name="plan_start_before_end", condition=Q(start__lte=models.F("end"))
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.start and self.end and self.start > self.end:
            raise ValidationError({"end": _("The period ends before it starts.")})

    @property
    def months(self) -> int:
        return months_between(self.start, self.end)

    @property
    def is_published(self) -> bool:
        return self.status == PlanStatus.PUBLISHED

    def checks_per_year(self) -> dict[str, int]:
        return {"A": self.checks_a, "B": self.checks_b, "C": self.checks_c, "D": self.checks_d}


class Check(models.Model):
    """One drawn inspection of a compound, by two inspectors, and its result."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="checks", verbose_name=_("plan")
    )
    compound = models.ForeignKey(
        "companies.Compound",
        on_delete=models.PROTECT,
        related_name="spot_checks",
        verbose_name=_("compound"),
    )
    number = models.PositiveSmallIntegerField(_("check number"), default=1)
    firm = models.ForeignKey(
        "companies.Firm",
        on_delete=models.PROTECT,
        related_name="spot_checks",
        verbose_name=_("firm"),
    )
    grade = models.CharField(_("grade"), max_length=1, blank=True)  # the published grade, if any
    first_inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("inspector"),
    )
    second_inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("inspector"),
    )
    state = models.CharField(
        _("state"), max_length=15, choices=CheckState.choices, default=CheckState.DRAWN
    )
    checklist = models.JSONField(_("checklist"), default=dict, blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=5000)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), null=True, blank=True)
    rectify_by = models.DateField(_("rectify by"), null=True, blank=True)
    rectification_ordered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("rectification ordered by"),
    )
    # The firm's open rectification notice of the red/black list, when it has one.
    credit_notice = models.ForeignKey(
        "credit.CreditNotice",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="spot_checks",
        verbose_name=_("credit notice"),
    )
    # The firm's answer to the rectification order, and the review of it.
    measures = models.TextField(_("rectification measures"), blank=True, max_length=5000)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    # The reasons of the last sending back (kept once accepted: the history has every one).
    review_reasons = models.TextField(_("reasons for sending back"), blank=True, max_length=5000)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    # The deduction the bureau recorded for what the check found (the event knows nothing of
    # the check: its reason names it).
    credit_event = models.OneToOneField(
        "credit.CreditEvent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="spot_check",
        verbose_name=_("credit event"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "compound__code", "number"]
        verbose_name = _("spot check")
        verbose_name_plural = _("spot checks")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "compound", "number"], name="check_unique_in_plan"
            ),
            models.CheckConstraint(
                name="check_two_inspectors",
                condition=~Q(first_inspector=models.F("second_inspector")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id}/{self.compound_id} #{self.number}"

    @property
    def is_open(self) -> bool:
        return self.state == CheckState.DRAWN

    def inspector_ids(self) -> set[int]:
        return {self.first_inspector_id, self.second_inspector_id}

    @property
    def is_rectifying(self) -> bool:
        return self.state in RECTIFYING_STATES

    def is_late(self, today) -> bool:
        """Past its rectification date with the rectification not accepted."""
        return self.is_rectifying and self.rectify_by is not None and self.rectify_by < today


class CheckPhoto(models.Model):
    """A photo (JPG or PNG) an inspector took on site."""

    check_row = models.ForeignKey(
        Check,
        on_delete=models.CASCADE,
        related_name="photos",
        verbose_name=_("spot check"),
        db_column="check_id",
    )
    file = models.FileField(
        _("photo"),
        upload_to="supervision/%Y/",
        max_length=200,
        validators=[FileExtensionValidator(PHOTO_EXTENSIONS)],
    )
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["check_row", "pk"]
        verbose_name = _("spot-check photo")
        verbose_name_plural = _("spot-check photos")

    def __str__(self) -> str:
        return self.name


class RectificationEvidence(models.Model):
    """A file (pdf, jpg, png) of a firm's answer to a spot check's rectification order."""

    check_row = models.ForeignKey(
        Check,
        on_delete=models.CASCADE,
        related_name="rectification_evidence",
        verbose_name=_("spot check"),
        db_column="check_id",
    )
    file = models.FileField(
        _("file"),
        upload_to="supervision/rectification/%Y/",
        max_length=200,
        validators=[FileExtensionValidator(EVIDENCE_EXTENSIONS)],
    )
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["check_row", "pk"]
        verbose_name = _("rectification evidence")
        verbose_name_plural = _("rectification evidence")

    def __str__(self) -> str:
        return self.name
