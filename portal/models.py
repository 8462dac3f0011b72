"""Administrative areas and the people who sign in."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import Role


class District(models.Model):
    """A district or county (区/县) of the city."""

    name = models.CharField(_("name"), max_length=60, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self) -> str:
        return self.name


class Street(models.Model):
    """A street or township (街道/乡镇), the level that supervises property locally."""

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="streets", verbose_name=_("district")
    )
    name = models.CharField(_("name"), max_length=60)

    class Meta:
        ordering = ["district__name", "name"]
        verbose_name = _("street")
        verbose_name_plural = _("streets")
        constraints = [
            models.UniqueConstraint(fields=["district", "name"], name="street_unique_in_district")
        ]

    def __str__(self) -> str:
        return self.name


class Community(models.Model):
    """A community (社区) inside a street."""

    street = models.ForeignKey(
        Street, on_delete=models.PROTECT, related_name="communities", verbose_name=_("street")
    )
    name = models.CharField(_("name"), max_length=60)

    class Meta:
        ordering = ["street__name", "name"]
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        constraints = [
            models.UniqueConstraint(fields=["street", "name"], name="community_unique_in_street")
        ]

    def __str__(self) -> str:
        return self.name


# Which scope field each role is bound to; every other scope field stays empty.
ROLE_SCOPE_FIELD: dict[str, str | None] = {
    Role.BUREAU: None,
    Role.ASSOCIATION: None,
    Role.STREET: "street",
    Role.COMMUNITY: "community",
    Role.FIRM: "firm",
    Role.OWNERS_COMMITTEE: "compound",
}
SCOPE_FIELDS = ("street", "community", "firm", "compound")


class User(AbstractUser):
    """A person who signs in, with one role bound to its area, firm or compound."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.BUREAU)
    full_name = models.CharField(_("full name"), max_length=60, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    street = models.ForeignKey(
        Street, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("street")
    )
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("community")
    )
    firm = models.ForeignKey(
        "companies.Firm", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("firm")
    )
    compound = models.ForeignKey(
        "companies.Compound",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("compound"),
    )
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                name="user_scope_matches_role",
                condition=(
                    Q(
                        role__in=[Role.BUREAU, Role.ASSOCIATION],
                        street__isnull=True,
                        community__isnull=True,
                        firm__isnull=True,
                        compound__isnull=True,
                    )
                    | Q(
                        role=Role.STREET,
                        street__isnull=False,
                        community__isnull=True,
                        firm__isnull=True,
                        compound__isnull=True,
                    )
                    | Q(
                        role=Role.COMMUNITY,
                        street__isnull=True,
                        community__isnull=False,
                        firm__isnull=True,
                        compound__isnull=True,
                    )
                    | Q(
                        role=Role.FIRM,
                        street__isnull=True,
                        community__isnull=True,
                        firm__isnull=False,
                        compound__isnull=True,
                    )
                    | Q(
                        role=Role.OWNERS_COMMITTEE,
                        street__isnull=True,
                        community__isnull=True,
                        firm__isnull=True,
                        compound__isnull=False,
                    )
                ),
            )
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def clean(self) -> None:
        super().clean()
        needed = ROLE_SCOPE_FIELD.get(self.role)
        errors = {}
        for field in SCOPE_FIELDS:
            value = getattr(self, f"{field}_id")
            if field == needed and value is None:
                errors[field] = _("This role must be bound to a %(scope)s.") % {
                    "scope": self._meta.get_field(field).verbose_name
                }
            elif field != needed and value is not None:
                errors[field] = _("Leave this empty for the chosen role.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_bureau(self) -> bool:
        return self.role == Role.BUREAU

    @property
    def scope_label(self) -> str:
        field = ROLE_SCOPE_FIELD.get(self.role)
        return str(getattr(self, field)) if field else str(_("Whole city"))
