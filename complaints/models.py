"""Owners' complaints (业主投诉): 12345 hotline work orders and complaints entered by hand, the
managing firm's answer and the community's verification; the remembered address matches and
the bureau's per-year formula of the suggested petitions score (业主信访处理)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import Source, Verification


def _user_fk(verbose_name) -> models.ForeignKey:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose_name,
    )


class Complaint(models.Model):
    """One complaint: a hotline work order (工单) or one entered by hand."""

    order_number = models.CharField(_("order number"), max_length=40, unique=True)
    received_at = models.DateTimeField(_("received"))
    address = models.CharField(_("address"), max_length=300, blank=True)
    compound = models.ForeignKey(
        "companies.Compound",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("compound"),
    )
    compound_code = models.CharField(_("compound code in the file"), max_length=40, blank=True)
    category = models.CharField(_("category"), max_length=60)
    text = models.TextField(_("complaint"), max_length=5000)
    handling_unit = models.CharField(_("handling unit"), max_length=100, blank=True)
    hotline_answered_at = models.DateTimeField(_("hotline answered"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=300, blank=True)
    satisfaction = models.CharField(_("satisfaction"), max_length=30, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    entered_by = _user_fk(_("entered by"))
    # The compound's managing firm when the complaint was matched: it answers.
    firm = models.ForeignKey(
        "companies.Firm",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("firm"),
    )
    answer_due = models.DateField(_("answer by"), null=True, blank=True)
    answer = models.TextField(_("firm's answer"), blank=True, max_length=5000)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = _user_fk(_("answered by"))
    answered_on_time = models.BooleanField(_("answered on time"), null=True, blank=True)
    verify_due = models.DateField(_("verify by"), null=True, blank=True)
    verification = models.CharField(
        _("verification"), max_length=15, choices=Verification.choices, blank=True
    )
    verify_note = models.TextField(_("community's note"), blank=True, max_length=5000)
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    verified_by = _user_fk(_("verified by"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        indexes = [models.Index(fields=["received_at"], name="complaint_received")]
        constraints = [
            models.CheckConstraint(
                name="complaint_answer_complete",
                condition=Q(answered_at__isnull=True) | ~Q(answer=""),
            ),
            models.CheckConstraint(
                name="complaint_verified_after_answer",
                condition=Q(verified_at__isnull=True) | Q(answered_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.order_number

    @property
    def street_id(self):
        return self.compound.community.street_id if self.compound_id else None

    def answer_overdue(self, today) -> bool:
        return bool(self.firm_id and self.answered_at is None and self.answer_due < today)

    def verify_overdue(self, today) -> bool:
        return bool(
            self.answered_at
            and self.verified_at is None
            and self.verify_due
            and self.verify_due < today
        )

    def is_overdue(self, today) -> bool:
        return self.answer_overdue(today) or self.verify_overdue(today)


class AddressMatch(models.Model):
    """A raw hotline address a clerk matched to a compound by hand: used by the next import."""

    address = models.CharField(_("address"), max_length=300, unique=True)
    compound = models.ForeignKey(
        "companies.Compound",
        on_delete=models.CASCADE,
        related_name="address_matches",
        verbose_name=_("compound"),
    )
    matched_by = _user_fk(_("matched by"))
    matched_at = models.DateTimeField(_("matched"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["address"]
        verbose_name = _("address match")
        verbose_name_plural = _("address matches")

    def __str__(self) -> str:
        return self.address


class PetitionsFormula(models.Model):
    """The parameters of the suggested petitions score of one year (docs/petitions-score.md)."""

    year = models.PositiveSmallIntegerField(
        _("year"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    start = models.DecimalField(
        _("starting score"), max_digits=5, decimal_places=2, default=Decimal("100")
    )
    threshold = models.DecimalField(
        _("complaints per 1,000 households not counted"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("5"),
        validators=[MinValueValidator(0)],
    )
    k1 = models.DecimalField(
        _("points per complaint per 1,000 households above the threshold"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("2"),
        validators=[MinValueValidator(0)],
    )
    k2 = models.DecimalField(
        _("points for all not answered on time"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("30"),
        validators=[MinValueValidator(0)],
    )
    k3 = models.DecimalField(
        _("points for all not verified resolved"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("30"),
        validators=[MinValueValidator(0)],
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("petitions score formula")
        verbose_name_plural = _("petitions score formulas")

    def __str__(self) -> str:
        return str(self.year)
