"""Rules of the rating: the indicators and each year's rule set with its weights."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .common import SCORE_VALIDATORS, YEAR_VALIDATORS

# A veto keeps a firm on the black list for at most this many years' publications.
VETO_LISTING_YEARS_MAX = 10


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
    repair_decision_days = models.PositiveSmallIntegerField(
        _("credit repair decision days"),
        default=5,
        validators=[MinValueValidator(1)],
        help_text=_("Working days the bureau has to decide a credit repair application."),
    )
    veto_listing_years = models.PositiveSmallIntegerField(
        _("years a veto keeps a firm on the black list"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(VETO_LISTING_YEARS_MAX)],
        help_text=_(
            "1: until the next year's list is published, as any black listing; 2: until the "
            "list of the year after, and so on (unless the firm's credit is repaired)."
        ),
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
