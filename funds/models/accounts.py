"""Fund accounts, household sub-accounts and the append-only ledger of postings and entries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..choices import EntryKind, Scope
from .common import AREA, CENT, MONEY, mask_name


class FundAccount(models.Model):
    """The maintenance fund account of one compound; its households hold the money."""

    compound = models.OneToOneField(
        "companies.Compound",
        on_delete=models.PROTECT,
        related_name="fund_account",
        verbose_name=_("compound"),
    )
    opened_on = models.DateField(_("opened on"), default=dt.date.today)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["compound__code"]
        verbose_name = _("fund account")
        verbose_name_plural = _("fund accounts")

    def __str__(self) -> str:
        return str(self.compound)


class HouseholdQuerySet(models.QuerySet):
    def in_scope(self, *, scope: str, building: str = "", unit: str = "") -> HouseholdQuerySet:
        if scope == Scope.BUILDING:
            return self.filter(building=building)
        if scope == Scope.UNIT:
            return self.filter(building=building, unit=unit)
        return self


class Household(models.Model):
    """A household sub-account (分户账); its balance is the sum of its ledger entries."""

    account = models.ForeignKey(
        FundAccount, on_delete=models.PROTECT, related_name="households", verbose_name=_("account")
    )
    building = models.CharField(_("building"), max_length=20)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    room = models.CharField(_("room"), max_length=20)
    floor_area = models.DecimalField(
        _("floor area (m²)"), **AREA, validators=[MinValueValidator(CENT)]
    )
    owner_name = models.CharField(_("owner"), max_length=60)
    initial_deposit = models.DecimalField(
        _("initial deposit"), **MONEY, default=Decimal("0.00"), validators=[MinValueValidator(0)]
    )
    # Kept equal to the sum of the entries by the ledger services only, under a row lock.
    balance = models.DecimalField(_("balance"), **MONEY, default=Decimal("0.00"), editable=False)
    history = HistoricalRecords()

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        ordering = ["account", "building", "unit", "room"]
        verbose_name = _("household")
        verbose_name_plural = _("households")
        constraints = [
            models.UniqueConstraint(
                fields=["account", "building", "unit", "room"], name="household_unique_room"
            ),
            models.CheckConstraint(
                name="household_balance_not_negative",
                condition=Q(balance__gte=0),
                violation_error_message=_("A household's balance cannot be negative."),
            ),
            models.CheckConstraint(
                name="household_floor_area_positive", condition=Q(floor_area__gt=0)
            ),
            models.CheckConstraint(
                name="household_initial_deposit_not_negative", condition=Q(initial_deposit__gte=0)
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        parts = [
            _("Building %(b)s") % {"b": self.building},
            _("Unit %(u)s") % {"u": self.unit} if self.unit else "",
            _("Room %(r)s") % {"r": self.room},
        ]
        return " ".join(p for p in parts if p)

    @property
    def masked_owner(self) -> str:
        return mask_name(self.owner_name)


class Posting(models.Model):
    """One money movement (记账凭证): its entries move money on one or more households."""

    account = models.ForeignKey(
        FundAccount, on_delete=models.PROTECT, related_name="postings", verbose_name=_("account")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EntryKind.choices)
    # The absolute amount moved; each entry carries its sign.
    amount = models.DecimalField(_("amount"), **MONEY)
    memo = models.CharField(_("memo"), max_length=200, blank=True)
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name=_("reverses"),
    )
    emergency = models.ForeignKey(
        "EmergencyApplication",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="postings",
    )
    ordinary = models.ForeignKey(
        "OrdinaryApplication",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="postings",
    )
    created_at = models.DateTimeField(_("posted"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,  # None: posted from the command line (an import)
        related_name="+",
        verbose_name=_("posted by"),
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("posting")
        verbose_name_plural = _("postings")
        constraints = [
            models.CheckConstraint(name="posting_amount_positive", condition=Q(amount__gt=0)),
            models.CheckConstraint(
                name="posting_reversal_has_original",
                condition=Q(kind=EntryKind.REVERSAL, reverses__isnull=False)
                | (~Q(kind=EntryKind.REVERSAL) & Q(reverses__isnull=True)),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not self._state.adding:
            raise ValidationError(_("The ledger is append-only: post a reversal instead."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("The ledger is append-only: post a reversal instead."))


class Entry(models.Model):
    """One line of a household's ledger; never changed or deleted once written."""

    posting = models.ForeignKey(
        Posting, on_delete=models.PROTECT, related_name="entries", verbose_name=_("posting")
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="entries", verbose_name=_("household")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EntryKind.choices)
    amount = models.DecimalField(_("amount"), **MONEY)
    balance_after = models.DecimalField(_("balance after"), **MONEY)
    created_at = models.DateTimeField(_("posted"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        constraints = [
            models.CheckConstraint(
                name="entry_sign_matches_kind",
                condition=Q(kind__in=[EntryKind.DEPOSIT, EntryKind.INTEREST], amount__gt=0)
                | Q(kind__in=[EntryKind.DISBURSEMENT, EntryKind.REFUND], amount__lt=0)
                | (Q(kind=EntryKind.REVERSAL) & ~Q(amount=0)),
            ),
            models.CheckConstraint(
                name="entry_balance_after_not_negative", condition=Q(balance_after__gte=0)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household} {self.amount}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not self._state.adding:
            raise ValidationError(_("The ledger is append-only: post a reversal instead."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("The ledger is append-only: post a reversal instead."))
