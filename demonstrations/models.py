"""A firm's application for a compound to become a 红心物业 demonstration project of a year,
the community's and the street's recommendations and the bureau's decision."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import STEP_OF_STATE, State, Step


def _user_fk(verbose_name) -> models.ForeignKey:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose_name,
    )


class Application(models.Model):
    compound = models.ForeignKey(
        "companies.Compound",
        on_delete=models.PROTECT,
        related_name="demonstration_applications",
        verbose_name=_("compound"),
    )
    firm = models.ForeignKey(
        "companies.Firm",
        on_delete=models.PROTECT,
        related_name="demonstration_applications",
        verbose_name=_("firm"),
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.SUBMITTED
    )
    party_org = models.CharField(_("Party organisation"), max_length=200)
    standards = models.JSONField(_("service standards met"), default=list)
    satisfaction = models.DecimalField(
        _("owners' satisfaction (%)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    description = models.TextField(_("description"), max_length=5000)
    submitted_by = _user_fk(_("submitted by"))
    submitted_at = models.DateTimeField(_("submitted"))
    # The deadline of the step the application waits for (none once decided or sent back).
    due = models.DateField(_("due"), null=True, blank=True)
    community_by = _user_fk(_("community officer"))
    community_at = models.DateTimeField(_("community's answer"), null=True, blank=True)
    community_note = models.TextField(_("community's reasons"), blank=True, max_length=5000)
    street_by = _user_fk(_("street officer"))
    street_at = models.DateTimeField(_("street's answer"), null=True, blank=True)
    street_note = models.TextField(_("street's reasons"), blank=True, max_length=5000)
    decided_by = _user_fk(_("decided by"))
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(_("bureau's reasons"), blank=True, max_length=5000)
    returned_by_step = models.CharField(
        _("not recommended by"), max_length=10, choices=Step.choices, blank=True
    )
    # demonstrations knows credit, credit does not know demonstrations: the link lives here.
    credit_event = models.OneToOneField(
        "credit.CreditEvent",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="demonstration",
        verbose_name=_("bonus credit event"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("demonstration application")
        verbose_name_plural = _("demonstration applications")
        indexes = [models.Index(fields=["state", "due"], name="demo_app_state_due")]
        constraints = [
            models.UniqueConstraint(
                fields=["compound", "year"],
                condition=Q(state=State.APPROVED),
                name="demo_app_one_approval_per_year",
            ),
            models.CheckConstraint(
                name="demo_app_year_plausible", condition=Q(year__gte=2000, year__lte=2100)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.compound_id} {self.year}"

    @property
    def step(self) -> str | None:
        return STEP_OF_STATE.get(self.state)

    def is_overdue(self, today) -> bool:
        return self.step is not None and self.due is not None and self.due < today


class EvidenceFile(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="files", verbose_name=_("application")
    )
    file = models.FileField(_("file"), upload_to="demonstrations/%Y/", max_length=200)
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["application", "pk"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return self.name


class Publication(models.Model):
    """The bureau's publication of a year's list: from then on the public page shows the
    year's approved projects."""

    year = models.PositiveSmallIntegerField(
        _("year"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    published_at = models.DateTimeField(_("published"))
    published_by = _user_fk(_("published by"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("published list of demonstration projects")
        verbose_name_plural = _("published lists of demonstration projects")

    def __str__(self) -> str:
        return str(self.year)
