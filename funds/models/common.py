"""Shared by the fund models: money and area formats, defaults, the scope of a repair."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from ..choices import Scope

MONEY = {"max_digits": 14, "decimal_places": 2}
AREA = {"max_digits": 12, "decimal_places": 2}
CENT = Decimal("0.01")
EVIDENCE_EXTENSIONS = ["jpg", "jpeg", "png", "pdf"]
# A phone photo or a scanned quote; a bigger upload is refused (FUNDS_EVIDENCE_MAX_BYTES).
EVIDENCE_MAX_BYTES = 5 * 1024 * 1024


def evidence_max_bytes() -> int:
    return getattr(settings, "FUNDS_EVIDENCE_MAX_BYTES", EVIDENCE_MAX_BYTES)


def validate_evidence_size(upload) -> None:
    """Refuse a quote or evidence file larger than the limit when it is uploaded."""
    if not upload or getattr(upload, "_committed", False):
        return  # a stored file was checked when it came; reading its size would open it
    limit = evidence_max_bytes()
    size = getattr(upload, "size", None)  # a history row holds the file's name only
    if size is not None and size > limit:
        raise ValidationError(
            _("The file is too large: at most %(limit)s.") % {"limit": filesizeformat(limit)},
            code="file_size",
        )


def mask_name(name: str) -> str:
    """张三丰 -> 张**: the first character stays, two stars hide the rest (and its length)."""
    name = (name or "").strip()
    if not name:
        return ""
    return name[0] + "**"


def default_step_hours() -> int:
    return settings.FUNDS_EMERGENCY_STEP_HOURS


def default_first_payment_ratio() -> Decimal:
    return Decimal(settings.FUNDS_FIRST_PAYMENT_RATIO)


class ScopedWork(models.Model):
    """Where a repair is and who shares its cost: the whole compound, a building or a unit."""

    scope = models.CharField(_("scope"), max_length=20, choices=Scope.choices)
    building = models.CharField(_("building"), max_length=20, blank=True)
    unit = models.CharField(_("unit"), max_length=20, blank=True)

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        if self.scope in (Scope.BUILDING, Scope.UNIT) and not self.building:
            raise ValidationError({"building": _("Name the building for this scope.")})
        if self.scope == Scope.UNIT and not self.unit:
            raise ValidationError({"unit": _("Name the unit for this scope.")})
        if self.scope == Scope.COMPOUND:
            self.building = ""
        if self.scope != Scope.UNIT:
            self.unit = ""

    @property
    def scope_label(self) -> str:
        if self.scope == Scope.BUILDING:
            return _("Building %(b)s") % {"b": self.building}
        if self.scope == Scope.UNIT:
            return _("Building %(b)s unit %(u)s") % {"b": self.building, "u": self.unit}
        return str(_("Whole compound"))
