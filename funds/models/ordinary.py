"""Ordinary use of the fund: applications and the owners' vote on them."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..choices import OrdinaryStatus
from .common import AREA, CENT, MONEY, ScopedWork, default_first_payment_ratio


class OrdinaryApplication(ScopedWork):
    """An ordinary use of the fund (一般使用), decided by the owners' vote (Civil Code art. 278)."""

    compound = models.ForeignKey(
        "companies.Compound",
        on_delete=models.PROTECT,
        related_name="ordinary_applications",
        verbose_name=_("compound"),
    )
    title = models.CharField(_("title"), max_length=120)
    items = models.TextField(_("items of work"))
    budget = models.DecimalField(_("budget"), **MONEY, validators=[MinValueValidator(CENT)])
    raises_fund = models.BooleanField(
        _("raises or tops up the fund"),
        default=False,
        help_text=_("Needs three quarters of the participants instead of a majority."),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=OrdinaryStatus.choices,
        default=OrdinaryStatus.PUBLICISED,
    )
    publicity_start = models.DateField(_("publicity from"))
    publicity_end = models.DateField(_("publicity until"))
    first_payment_ratio = models.DecimalField(
        _("first payment ratio"),
        max_digits=3,
        decimal_places=2,
        default=default_first_payment_ratio,
    )
    filed_at = models.DateTimeField(_("filed"), default=timezone.now)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    review_comment = models.TextField(_("review comment"), blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    final_cost = models.DecimalField(_("final cost"), **MONEY, null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-filed_at", "-pk"]
        verbose_name = _("ordinary use application")
        verbose_name_plural = _("ordinary use applications")
        constraints = [
            models.CheckConstraint(name="ordinary_budget_positive", condition=Q(budget__gt=0)),
            models.CheckConstraint(
                name="ordinary_first_ratio_range",
                condition=Q(first_payment_ratio__gt=0, first_payment_ratio__lte=1),
            ),
            models.CheckConstraint(
                name="ordinary_publicity_order",
                condition=Q(publicity_end__gte=F("publicity_start")),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class OwnersVote(models.Model):
    """The owners' vote on an ordinary use, and whether it met art. 278."""

    application = models.OneToOneField(
        OrdinaryApplication,
        on_delete=models.PROTECT,
        related_name="vote",
        verbose_name=_("application"),
    )
    total_area = models.DecimalField(_("total floor area"), **AREA)
    total_owners = models.PositiveIntegerField(_("total owners"))
    participating_area = models.DecimalField(_("participating floor area"), **AREA)
    participating_owners = models.PositiveIntegerField(_("participating owners"))
    yes_area = models.DecimalField(_("floor area voting yes"), **AREA)
    yes_owners = models.PositiveIntegerField(_("owners voting yes"))
    passed = models.BooleanField(_("passed"))
    reasons = models.TextField(_("reasons"), blank=True)
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("owners' vote")
        verbose_name_plural = _("owners' votes")
        constraints = [
            models.CheckConstraint(
                name="vote_counts_nested",
                condition=Q(
                    total_area__gt=0,
                    total_owners__gt=0,
                    participating_area__lte=F("total_area"),
                    participating_owners__lte=F("total_owners"),
                    yes_area__lte=F("participating_area"),
                    yes_owners__lte=F("participating_owners"),
                    yes_area__gte=0,
                    participating_area__gte=0,
                ),
            )
        ]

    def __str__(self) -> str:
        return str(self.application)
