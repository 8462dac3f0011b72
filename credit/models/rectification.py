"""Rectification to the end (整改闭环): the rounds of a rectification notice (the firm's
answer with evidence, the re-inspection's verdict), the summons (约谈) and the key-supervision
list (重点监管名单) of a notice past its deadline, and the policy support that follows a
commendation, a text per year."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from .common import YEAR_VALIDATORS
from .publication import ATTACHMENT_EXTENSIONS, CreditNotice


class Verdict(models.TextChoices):
    ACCEPTED = "accepted", pgettext_lazy("verdict", "Accepted")
    SENT_BACK = "sent_back", _("Sent back")


class NoticeRound(models.Model):
    """One round of a rectification notice: the firm's answer, then the re-inspection's verdict."""

    notice = models.ForeignKey(
        CreditNotice, on_delete=models.CASCADE, related_name="rounds", verbose_name=_("notice")
    )
    number = models.PositiveSmallIntegerField(_("round"))
    answer = models.TextField(_("measures taken"), max_length=5000)
    answered_at = models.DateTimeField(_("answered"))
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    verdict = models.CharField(_("verdict"), max_length=10, choices=Verdict.choices, blank=True)
    reasons = models.TextField(_("reasons"), blank=True, max_length=5000)
    inspected_at = models.DateTimeField(_("re-inspected"), null=True, blank=True)
    inspected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("re-inspected by"),
    )
    # The deadline the firm had when it answered, and the one a send-back gave it.
    deadline_before = models.DateField(_("deadline when answered"))
    deadline_after = models.DateField(_("new deadline"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["notice", "number"]
        verbose_name = _("rectification round")
        verbose_name_plural = _("rectification rounds")
        constraints = [
            models.UniqueConstraint(fields=["notice", "number"], name="noticeround_unique_number"),
            models.CheckConstraint(
                name="noticeround_send_back_has_reasons",
                condition=~Q(verdict="sent_back") | ~Q(reasons=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.notice_id}#{self.number}"


class NoticeEvidence(models.Model):
    """An evidence file of a round's answer (PDF, JPG or PNG)."""

    round = models.ForeignKey(
        NoticeRound, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("round")
    )
    file = models.FileField(
        _("file"),
        upload_to="credit/rectification/%Y/",
        max_length=200,
        validators=[FileExtensionValidator(ATTACHMENT_EXTENSIONS)],
    )
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["round", "pk"]
        verbose_name = _("rectification evidence")
        verbose_name_plural = _("rectification evidence")

    def __str__(self) -> str:
        return self.name


class Summons(models.Model):
    """A summons (约谈) of the firm over a notice past its deadline; minutes once it was held."""

    notice = models.ForeignKey(
        CreditNotice, on_delete=models.PROTECT, related_name="summonses", verbose_name=_("notice")
    )
    scheduled_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("summoned by"),
    )
    created_at = models.DateTimeField(_("created"))
    minutes = models.TextField(_("minutes"), blank=True, max_length=10000)
    recorded_at = models.DateTimeField(_("minutes recorded"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("minutes recorded by"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["notice", "scheduled_at"]
        verbose_name = _("summons")
        verbose_name_plural = _("summonses")

    def __str__(self) -> str:
        return f"{self.notice_id} {self.scheduled_at:%Y-%m-%d}"

    @property
    def is_held(self) -> bool:
        return bool(self.recorded_at)


class KeySupervisionEntry(models.Model):
    """A firm on the key-supervision list (重点监管名单) over a notice, from `since` until the
    notice is accepted (`removed_at`); the public page shows the current entries."""

    notice = models.ForeignKey(
        CreditNotice,
        on_delete=models.PROTECT,
        related_name="key_supervision",
        verbose_name=_("notice"),
    )
    firm = models.ForeignKey(
        "companies.Firm",
        on_delete=models.PROTECT,
        related_name="key_supervision",
        verbose_name=_("firm"),
    )
    reason = models.CharField(_("reason"), max_length=500)
    since = models.DateField(_("listed since"))
    listed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("listed by"),
    )
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)
    removal_reason = models.CharField(_("reason for removal"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-since", "firm"]
        verbose_name = _("key-supervision entry")
        verbose_name_plural = _("key-supervision entries")
        constraints = [
            models.UniqueConstraint(
                fields=["notice"],
                condition=Q(removed_at__isnull=True),
                name="keysupervision_one_current_per_notice",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.firm_id} {self.since:%Y-%m-%d}"

    @property
    def is_current(self) -> bool:
        return self.removed_at is None


class CommendationPolicy(models.Model):
    """The policy support (政策扶持) that follows a commendation of a year's A firms."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True, validators=YEAR_VALIDATORS)
    text = models.TextField(_("policy support"), max_length=5000)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("commendation policy")
        verbose_name_plural = _("commendation policies")

    def __str__(self) -> str:
        return str(self.year)
