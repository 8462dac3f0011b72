"""Credit certificates (信用等级证明): a firm's published grade, stated for a tender and
checked by anyone at its public address with its verification code."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from ..choices import Grade
from .common import YEAR_VALIDATORS
from .publication import PublicationVersion

# The code as stored: 20 characters of Crockford's base32, without the hyphens it is shown with.
CERTIFICATE_CODE_LENGTH = 20


class CertificateState(models.TextChoices):
    """What the public verification page says of a certificate (computed, never stored)."""

    VALID = "valid", _("Valid")
    SUPERSEDED = "superseded", _("Superseded")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


class CreditCertificate(models.Model):
    """A firm's certificate of its published credit grade, verifiable by its code."""

    firm = models.ForeignKey(
        "companies.Firm",
        on_delete=models.PROTECT,
        related_name="credit_certificates",
        verbose_name=_("firm"),
    )
    version = models.ForeignKey(
        PublicationVersion,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("published version"),
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices)
    code = models.CharField(_("verification code"), max_length=CERTIFICATE_CODE_LENGTH, unique=True)
    issued_at = models.DateTimeField(pgettext_lazy("certificate", "issued"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    valid_until = models.DateTimeField(_("valid until"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    revoke_reason = models.TextField(_("reason for revoking"), blank=True, max_length=2000)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("credit certificate")
        verbose_name_plural = _("credit certificates")
        indexes = [models.Index(fields=["firm", "-issued_at"], name="certificate_firm_issued")]
        constraints = [
            models.CheckConstraint(
                name="certificate_valid_after_issue", condition=Q(valid_until__gt=F("issued_at"))
            ),
            # A revoked certificate says why; one not revoked has no reason.
            models.CheckConstraint(
                name="certificate_revoked_with_reason",
                condition=(Q(revoked_at__isnull=True) & Q(revoke_reason=""))
                | (Q(revoked_at__isnull=False) & ~Q(revoke_reason="")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.firm_id} {self.year} {self.grade} {self.display_code}"

    @property
    def display_code(self) -> str:
        """The code as printed and typed: five groups of four characters."""
        return "-".join(self.code[i : i + 4] for i in range(0, len(self.code), 4))

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
