"""Good conduct declared by firms (良好行为申报): a firm declares an award, a 红心物业 project, a
skills-contest prize or help in an emergency with evidence; the street or the bureau accepts it
as a bonus credit event, or refuses it with reasons."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import FileExtensionValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .assessments import CreditEvent
from .publication import ATTACHMENT_EXTENSIONS


class ConductKind(models.TextChoices):
    AWARD = "award", _("Award or commendation")
    RED_HEART = "red_heart", _("Red-heart property (红心物业) project")
    CONTEST = "contest", _("Skills-contest prize")
    EMERGENCY = "emergency", _("Help in an emergency")


# The bonus points an accepted declaration proposes by kind; the reviewer may change them
# within (0, DECLARATION_MAX_POINTS].
DECLARATION_DEFAULT_POINTS = {
    ConductKind.AWARD: Decimal("2"),
    ConductKind.RED_HEART: Decimal("3"),
    ConductKind.CONTEST: Decimal("1"),
    ConductKind.EMERGENCY: Decimal("2"),
}
DECLARATION_MAX_POINTS = Decimal("5")


class DeclarationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    REFUSED = "refused", _("Refused")


class Declaration(models.Model):
    """A firm's declaration of good conduct, reviewed by the street or the bureau."""

    firm = models.ForeignKey(
        "companies.Firm",
        on_delete=models.PROTECT,
        related_name="conduct_declarations",
        verbose_name=_("firm"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=ConductKind.choices)
    date = models.DateField(_("date of the conduct"))
    description = models.TextField(_("description"), max_length=5000)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=DeclarationStatus.choices,
        default=DeclarationStatus.PENDING,
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("filed by"),
    )
    filed_at = models.DateTimeField(_("filed"))
    decide_by = models.DateField(_("decide by"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    points = models.DecimalField(
        _("points"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    reasons = models.TextField(_("reasons"), blank=True, max_length=5000)
    # Given when the decision came after decide_by: why it was late.
    delay_reason = models.TextField(_("reason for the delay"), blank=True, max_length=2000)
    # The bonus event that acceptance recorded (the event itself knows nothing of this row).
    bonus_event = models.OneToOneField(
        CreditEvent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="declaration",
        verbose_name=_("bonus credit event"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-filed_at", "-pk"]
        verbose_name = _("good-conduct declaration")
        verbose_name_plural = _("good-conduct declarations")
        constraints = [
            models.CheckConstraint(
                name="declaration_refusal_has_reasons",
                condition=~Q(status="refused") | ~Q(reasons=""),
            ),
            models.CheckConstraint(
                name="declaration_acceptance_has_event",
                condition=~Q(status="accepted")
                | Q(bonus_event__isnull=False, points__isnull=False),
            ),
        ]
        indexes = [models.Index(fields=["status", "decide_by"], name="declaration_status_due")]

    def __str__(self) -> str:
        return f"{self.firm_id} {self.kind} {self.date} {self.status}"

    @property
    def is_pending(self) -> bool:
        return self.status == DeclarationStatus.PENDING

    @property
    def default_points(self) -> Decimal:
        return DECLARATION_DEFAULT_POINTS.get(self.kind, Decimal("1"))


class DeclarationEvidence(models.Model):
    """A file (pdf, jpg, png) showing a firm's declared good conduct."""

    declaration = models.ForeignKey(
        Declaration,
        on_delete=models.CASCADE,
        related_name="evidence",
        verbose_name=_("good-conduct declaration"),
    )
    file = models.FileField(
        _("file"),
        upload_to="credit/declarations/%Y/",
        max_length=200,
        validators=[FileExtensionValidator(ATTACHMENT_EXTENSIONS)],
    )
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["declaration", "pk"]
        verbose_name = _("declaration evidence")
        verbose_name_plural = _("declaration evidence")

    def __str__(self) -> str:
        return self.name
