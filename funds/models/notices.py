"""Public notices of the fund to a compound's owners."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..choices import NoticeKind
from .common import MONEY
from .emergency import EmergencyApplication
from .ordinary import OrdinaryApplication


class FundNotice(models.Model):
    """A public notice to a compound's owners (公示): a snapshot, with masked names only."""

    compound = models.ForeignKey(
        "companies.Compound",
        on_delete=models.PROTECT,
        related_name="fund_notices",
        verbose_name=_("compound"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=NoticeKind.choices)
    title = models.CharField(_("title"), max_length=160)
    body = models.TextField(_("text"))
    amount = models.DecimalField(_("amount"), **MONEY, null=True, blank=True)
    # [{"building": "1", "unit": "2", "room": "301", "owner": "张**", "floor_area": "90.00",
    #   "share": "12.34"}, ...]: a snapshot, so later changes do not rewrite a published notice.
    shares = models.JSONField(_("shares"), default=list, blank=True)
    publicity_start = models.DateField(_("publicity from"))
    publicity_end = models.DateField(_("publicity until"))
    emergency = models.ForeignKey(
        EmergencyApplication,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notices",
    )
    ordinary = models.ForeignKey(
        OrdinaryApplication,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notices",
    )
    created_at = models.DateTimeField(_("published"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-publicity_start", "-pk"]
        verbose_name = _("fund notice")
        verbose_name_plural = _("fund notices")
        constraints = [
            models.CheckConstraint(
                name="notice_publicity_order",
                condition=Q(publicity_end__gte=F("publicity_start")),
            )
        ]

    def __str__(self) -> str:
        return self.title
