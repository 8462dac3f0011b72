"""Training sessions the bureau runs for the streets, communities and firms, their materials
(the handbooks) and who attended."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from .choices import MATERIAL_EXTENSIONS


class Session(models.Model):
    """A training session: topic, date, organiser, place."""

    topic = models.CharField(_("topic"), max_length=200)
    date = models.DateField(_("date"))
    organiser = models.CharField(_("organiser"), max_length=100)
    place = models.CharField(_("place"), max_length=200, blank=True)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.topic}"


class Material(models.Model):
    """A file handed out at a session (a handbook, slides)."""

    session = models.ForeignKey(
        Session,
        on_delete=models.CASCADE,
        related_name="materials",
        verbose_name=pgettext_lazy("training", "session"),
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(
        _("file"),
        upload_to="training/%Y/",
        validators=[FileExtensionValidator(MATERIAL_EXTENSIONS)],
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("training material")
        verbose_name_plural = _("training materials")

    def __str__(self) -> str:
        return self.title

    @property
    def download_name(self) -> str:
        ext = self.file.name.rsplit(".", 1)[-1].lower() if "." in self.file.name else ""
        return f"{self.title}.{ext}" if ext else self.title


class Attendance(models.Model):
    """One street, community or firm present at a session (exactly one of the three)."""

    session = models.ForeignKey(
        Session,
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=pgettext_lazy("training", "session"),
    )
    street = models.ForeignKey(
        "portal.Street",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="training_attendances",
        verbose_name=_("street"),
    )
    community = models.ForeignKey(
        "portal.Community",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="training_attendances",
        verbose_name=_("community"),
    )
    firm = models.ForeignKey(
        "companies.Firm",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="training_attendances",
        verbose_name=_("firm"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(street__isnull=False, community__isnull=True, firm__isnull=True)
                    | Q(street__isnull=True, community__isnull=False, firm__isnull=True)
                    | Q(street__isnull=True, community__isnull=True, firm__isnull=False)
                ),
                name="attendance_one_attendee",
            ),
            models.UniqueConstraint(fields=["session", "street"], name="attendance_street_once"),
            models.UniqueConstraint(
                fields=["session", "community"], name="attendance_community_once"
            ),
            models.UniqueConstraint(fields=["session", "firm"], name="attendance_firm_once"),
        ]

    def __str__(self) -> str:
        return str(self.street or self.community or self.firm)
