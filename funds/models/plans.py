"""Firms' yearly maintenance plans and their items of work."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..choices import FundingSource, ItemProgress, PlanStatus
from .common import CENT, MONEY


class MaintenancePlan(models.Model):
    """A firm's yearly maintenance plan for one compound (物业维修养护计划申报)."""

    compound = models.ForeignKey(
        "companies.Compound",
        on_delete=models.PROTECT,
        related_name="maintenance_plans",
        verbose_name=_("compound"),
    )
    firm = models.ForeignKey(
        "companies.Firm",
        on_delete=models.PROTECT,
        related_name="maintenance_plans",
        verbose_name=_("firm"),
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    status = models.CharField(
        _("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    street_reviewed_at = models.DateTimeField(_("reviewed by the street"), null=True, blank=True)
    street_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    street_comment = models.TextField(_("street's comments"), blank=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    bureau_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    bureau_comment = models.TextField(_("bureau's comments"), blank=True)
    # Set once: a plan is turned into at most one credit deduction.
    credit_event = models.OneToOneField(
        "credit.CreditEvent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="maintenance_plan",
        verbose_name=_("credit deduction"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "compound__code"]
        verbose_name = _("maintenance plan")
        verbose_name_plural = _("maintenance plans")
        constraints = [
            models.UniqueConstraint(
                fields=["compound", "year"],
                name="plan_one_per_compound_year",
                violation_error_message=_("This compound already has a plan for this year."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.compound} {self.year}"

    @property
    def is_editable(self) -> bool:
        return self.status in (PlanStatus.DRAFT, PlanStatus.RETURNED)


def item_overdue_q(
    today: dt.date, *, item: str = "", plan: str = "plan__", this_month: bool = False
) -> Q:
    """An item of an approved plan whose planned month is over and that is not done; with
    `this_month`, also those planned for this month (the items the firm reports on now).

    `item` and `plan` are the paths to the item and to its plan from the model filtered:
    `("", "plan__")` from an item, `("items__", "")` from a plan (in an aggregate's filter)."""
    month = f"{item}planned_month__{'lte' if this_month else 'lt'}"
    return (
        (
            Q(**{f"{plan}year__lt": today.year})
            | Q(**{f"{plan}year": today.year, month: today.month})
        )
        & Q(**{f"{plan}status": PlanStatus.APPROVED})
        & ~Q(**{f"{item}progress": ItemProgress.DONE})
    )


class PlanItemQuerySet(models.QuerySet):
    def overdue(self, today: dt.date | None = None) -> PlanItemQuerySet:
        """Items of approved plans whose planned month is over and that are not done."""
        return self.filter(item_overdue_q(today or timezone.localdate()))


class MaintenancePlanItem(models.Model):
    """One planned piece of work: facility, work, month, estimated cost, who pays; progress."""

    plan = models.ForeignKey(
        MaintenancePlan, on_delete=models.PROTECT, related_name="items", verbose_name=_("plan")
    )
    facility = models.CharField(_("facility"), max_length=100)
    work = models.CharField(_("work"), max_length=200)
    planned_month = models.PositiveSmallIntegerField(
        _("planned month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    estimated_cost = models.DecimalField(
        _("estimated cost"), **MONEY, validators=[MinValueValidator(CENT)]
    )
    funding_source = models.CharField(
        _("funding source"), max_length=20, choices=FundingSource.choices
    )
    progress = models.CharField(
        _("progress"), max_length=20, choices=ItemProgress.choices, default=ItemProgress.NOT_STARTED
    )
    progress_date = models.DateField(_("progress date"), null=True, blank=True)
    progress_note = models.CharField(_("progress note"), max_length=300, blank=True)
    history = HistoricalRecords()

    objects = PlanItemQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "planned_month", "pk"]
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")
        constraints = [
            models.CheckConstraint(
                name="plan_item_cost_positive", condition=Q(estimated_cost__gt=0)
            ),
            models.CheckConstraint(
                name="plan_item_month_range",
                condition=Q(planned_month__gte=1, planned_month__lte=12),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.facility}: {self.work}"

    def is_overdue(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return (
            self.plan.status == PlanStatus.APPROVED
            and self.progress != ItemProgress.DONE
            and (self.plan.year, self.planned_month) < (today.year, today.month)
        )
