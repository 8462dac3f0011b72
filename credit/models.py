"""Credit rating: indicators, yearly rule sets, assessments, credit events, rating runs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.fields import JSONDocumentField

from .choices import ACTIVE_RUN_STATUSES, AssessorRole, EventKind, Grade, RunStatus

YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]
SCORE_VALIDATORS = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


class Indicator(models.Model):
    """One of the six assessed indicators (指标), keyed by its code."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.name


class RuleSet(models.Model):
    """The parameters of one year's rating (weights in RuleWeight); frozen once published."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True, validators=YEAR_VALIDATORS)
    min_indicators = models.PositiveSmallIntegerField(
        _("minimum indicators"),
        default=4,
        validators=[MinValueValidator(1)],
        help_text=_("A firm with fewer indicators assessed is not rated."),
    )
    bonus_cap = models.DecimalField(
        _("bonus cap"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("5"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    threshold_a = models.DecimalField(
        _("grade A from"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("90"),
        validators=SCORE_VALIDATORS,
    )
    threshold_b = models.DecimalField(
        _("grade B from"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("80"),
        validators=SCORE_VALIDATORS,
    )
    threshold_c = models.DecimalField(
        _("grade C from"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("65"),
        validators=SCORE_VALIDATORS,
    )
    publicity_days = models.PositiveSmallIntegerField(
        _("publicity days"), default=7, validators=[MinValueValidator(1)]
    )
    frozen_at = models.DateTimeField(_("frozen"), null=True, blank=True, editable=False)
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
        verbose_name = _("rule set")
        verbose_name_plural = _("rule sets")
        constraints = [
            models.CheckConstraint(
                name="ruleset_thresholds_descending",
                condition=Q(threshold_a__gt=F("threshold_b"))
                & Q(threshold_b__gt=F("threshold_c"))
                & Q(threshold_c__gte=0)
                & Q(threshold_a__lte=100),
                violation_error_message=_(
                    "The thresholds must descend: A above B above C, between 0 and 100."
                ),
            ),
            models.CheckConstraint(
                name="ruleset_bonus_cap_nonnegative", condition=Q(bonus_cap__gte=0)
            ),
            models.CheckConstraint(
                name="ruleset_min_indicators_positive", condition=Q(min_indicators__gte=1)
            ),
        ]

    def __str__(self) -> str:
        return str(_("Rule set %(year)s") % {"year": self.year})

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None

    def clean(self) -> None:
        super().clean()
        a, b, c = self.threshold_a, self.threshold_b, self.threshold_c
        if None not in (a, b, c) and not (a > b > c):
            raise ValidationError(
                _("The thresholds must descend: A above B above C."), code="thresholds"
            )


class RuleWeight(models.Model):
    """The weight of one indicator in one rule set."""

    rule_set = models.ForeignKey(
        RuleSet, on_delete=models.CASCADE, related_name="weights", verbose_name=_("rule set")
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="+", verbose_name=_("indicator")
    )
    weight = models.DecimalField(
        _("weight"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["rule_set", "indicator__order"]
        verbose_name = _("weight")
        verbose_name_plural = _("weights")
        constraints = [
            models.UniqueConstraint(
                fields=["rule_set", "indicator"], name="ruleweight_one_per_indicator"
            ),
            models.CheckConstraint(name="ruleweight_positive", condition=Q(weight__gt=0)),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}: {self.weight}"


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


class RatingRun(models.Model):
    """One run of the rating batch over every firm assessed in a year."""

    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    rule_set = models.ForeignKey(
        RuleSet, on_delete=models.PROTECT, related_name="runs", verbose_name=_("rule set")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.PENDING
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    total = models.PositiveIntegerField(_("firms"), default=0)
    done = models.PositiveIntegerField(_("firms done"), default=0)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        get_latest_by = "started_at"
        verbose_name = _("rating run")
        verbose_name_plural = _("rating runs")
        constraints = [
            models.UniqueConstraint(
                fields=["year"],
                condition=Q(status__in=ACTIVE_RUN_STATUSES),
                name="ratingrun_one_active_per_year",
                violation_error_message=_("A rating run of this year is already in progress."),
            ),
        ]

    def __str__(self) -> str:
        return str(_("Rating run %(year)s #%(pk)s") % {"year": self.year, "pk": self.pk})

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_RUN_STATUSES

    @property
    def percent(self) -> int:
        return 100 if not self.total else min(100, self.done * 100 // self.total)


class Rating(models.Model):
    """One firm's result in one run; how it came about is its `breakdown` (RatingBreakdown)."""

    run = models.ForeignKey(
        RatingRun,
        on_delete=models.CASCADE,
        related_name="ratings",
        verbose_name=_("run"),
        db_index=False,  # the unique (run, firm) index leads with it
    )
    firm = models.ForeignKey(
        "companies.Firm", on_delete=models.PROTECT, related_name="ratings", verbose_name=_("firm")
    )
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)
    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices, blank=True)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    indicators_present = models.PositiveSmallIntegerField(_("indicators assessed"), default=0)
    vetoed = models.BooleanField(_("veto"), default=False)
    # Base score for display, rounded half-up to 6 places; the exact value is in the breakdown.
    base = models.DecimalField(_("base score"), max_digits=12, decimal_places=6, null=True)
    bonus_raw = models.DecimalField(_("bonus points"), max_digits=10, decimal_places=2, default=0)
    bonus_capped = models.DecimalField(
        _("bonus counted"), max_digits=10, decimal_places=2, default=0
    )
    deductions = models.DecimalField(_("deductions"), max_digits=10, decimal_places=2, default=0)
    not_rated_reason = models.CharField(_("not rated because"), max_length=40, blank=True)

    class Meta:
        ordering = ["run", "rank", "firm__credit_code"]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.UniqueConstraint(fields=["run", "firm"], name="rating_one_per_firm_and_run"),
        ]
        # No index holds `rank`, and PostgreSQL leaves half of each page free (migration
        # 0004): ranking a run then rewrites its rows in place (HOT), without index entries.

    def __str__(self) -> str:
        return f"{self.run_id}/{self.firm_id}: {self.score} {self.grade}"

    @property
    def is_rated(self) -> bool:
        return self.score is not None


class RatingBreakdown(models.Model):
    """How one rating came about, as credit-rules.md computes it (`rating.rate_firm`): every
    S(i) with the compounds and scores behind it, base, bonus, deductions, final score.

    Kept apart from `Rating` so that the rating rows stay narrow: a run's ranks are assigned
    by rewriting every rating row once all are known, and the lists read those rows."""

    rating = models.OneToOneField(
        Rating,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="breakdown",
        verbose_name=_("rating"),
    )
    document = JSONDocumentField(_("breakdown"), default=dict)

    class Meta:
        verbose_name = _("rating breakdown")
        verbose_name_plural = _("rating breakdowns")

    def __str__(self) -> str:
        return str(self.rating_id)


# --- publication, objections, versions, notices ----------------------------------------------

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
        return self.status in (NoticeStatus.ISSUED, NoticeStatus.ANSWERED)
