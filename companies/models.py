"""Property service firms, the compounds they serve, and who served which compound when."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.exports import validate_not_formula
from portal.models import Community

from .validators import validate_credit_code


class Firm(models.Model):
    """A property service firm (物业服务企业), keyed by its unified social credit code."""

    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        validators=[validate_credit_code],
    )
    name = models.CharField(_("firm name"), max_length=120, validators=[validate_not_formula])
    legal_representative = models.CharField(
        _("legal representative"), max_length=60, blank=True, validators=[validate_not_formula]
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("property firm")
        verbose_name_plural = _("property firms")
        # The list's order with the ids: a page deep in the list chooses its ids from the
        # index alone, not from 10,000 rows scattered over the table (companies.tables.PageFirst).
        indexes = [models.Index(fields=["name", "id"], name="firm_name_id")]

    def __str__(self) -> str:
        return self.name


class CompoundQuerySet(models.QuerySet):
    def with_area(self) -> CompoundQuerySet:
        return self.select_related("community__street__district", "firm")

    def professionally_managed(self) -> CompoundQuerySet:
        return self.filter(firm__isnull=False)

    def red_heart(self) -> CompoundQuerySet:
        return self.filter(red_heart_year__isnull=False)


class Compound(models.Model):
    """A residential compound (住宅小区/物业项目) in a community."""

    code = models.CharField(_("compound code"), max_length=40, unique=True)
    name = models.CharField(
        _("compound name"), max_length=120, db_index=True, validators=[validate_not_formula]
    )
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="compounds", verbose_name=_("community")
    )
    households = models.PositiveIntegerField(_("households"), validators=[MinValueValidator(1)])
    floor_area = models.DecimalField(
        _("floor area (m²)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    # The current managing firm; `compound_change_firm` keeps it equal to the open Management.
    firm = models.ForeignKey(
        Firm,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="compounds",
        verbose_name=_("managing firm"),
    )
    has_owners_committee = models.BooleanField(_("owners' committee"), default=False)
    has_party_org = models.BooleanField(_("Party organisation"), default=False)
    red_heart_year = models.PositiveSmallIntegerField(
        _("red-heart demonstration year"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    objects = CompoundQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("compound")
        verbose_name_plural = _("compounds")
        constraints = [
            models.CheckConstraint(
                name="compound_households_positive", condition=Q(households__gt=0)
            ),
            models.CheckConstraint(
                name="compound_floor_area_positive", condition=Q(floor_area__gt=0)
            ),
            models.CheckConstraint(
                name="compound_red_heart_year_plausible",
                condition=Q(red_heart_year__isnull=True)
                | Q(red_heart_year__gte=2000, red_heart_year__lte=2100),
            ),
        ]
        # The rating batch reads each assessed compound's households: from this index alone,
        # without visiting the compounds' rows, scattered over the table.
        indexes = [models.Index(fields=["id", "households"], name="compound_households")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.red_heart_year is not None and not 2000 <= self.red_heart_year <= 2100:
            raise ValidationError({"red_heart_year": _("Enter a year between 2000 and 2100.")})


class Management(models.Model):
    """One firm's service at one compound from a date until a date (open while current)."""

    compound = models.ForeignKey(
        Compound, on_delete=models.PROTECT, related_name="managements", verbose_name=_("compound")
    )
    firm = models.ForeignKey(
        Firm, on_delete=models.PROTECT, related_name="managements", verbose_name=_("firm")
    )
    start_date = models.DateField(_("since"))
    end_date = models.DateField(_("until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["compound", "-start_date"]
        verbose_name = _("management period")
        verbose_name_plural = _("management periods")
        constraints = [
            models.UniqueConstraint(
                fields=["compound"],
                condition=Q(end_date__isnull=True),
                name="management_one_open_period_per_compound",
            ),
            models.CheckConstraint(
                name="management_ends_after_start",
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.firm} @ {self.compound}"
