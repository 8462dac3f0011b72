"""Results of the rating batch: runs, one rating per firm, and how each came about."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.fields import JSONDocumentField

from ..choices import ACTIVE_RUN_STATUSES, Grade, RunStatus
from .common import YEAR_VALIDATORS
from .rules import RuleSet


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
    # Kept by the chunks and the reconciler (credit.services.reconcile): when a chunk last
    # rated firms, when the reconciler last queued the unrated ones again, and how many
    # times it has done so since the last progress.
    progressed_at = models.DateTimeField(_("last progress"), null=True, blank=True)
    reconciled_at = models.DateTimeField(_("last queued again"), null=True, blank=True)
    stalled_rounds = models.PositiveSmallIntegerField(_("rounds without progress"), default=0)

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
