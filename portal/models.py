"""Administrative areas and the people who sign in."""

from __future__ import annotations

import secrets

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


class Department(models.Model):
    """A department of the city (城管, 消防 …) that a street can blow the whistle to (吹哨)."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    code = models.SlugField(_("code"), max_length=30, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Only active departments can be whistled to.")
    )

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

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
    Role.DEPARTMENT: "department",
}
SCOPE_FIELDS = ("street", "community", "firm", "compound", "department")


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
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("department"),
    )
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                name="user_scope_matches_role",
                violation_error_message=_(
                    "The role and its bound street, community, firm, compound or department do not match."
                ),
                condition=(
                    Q(
                        role__in=[Role.BUREAU, Role.ASSOCIATION],
                        street__isnull=True,
                        community__isnull=True,
                        firm__isnull=True,
                        compound__isnull=True,
                        department__isnull=True,
                    )
                    | Q(
                        role=Role.STREET,
                        street__isnull=False,
                        community__isnull=True,
                        firm__isnull=True,
                        compound__isnull=True,
                        department__isnull=True,
                    )
                    | Q(
                        role=Role.COMMUNITY,
                        street__isnull=True,
                        community__isnull=False,
                        firm__isnull=True,
                        compound__isnull=True,
                        department__isnull=True,
                    )
                    | Q(
                        role=Role.FIRM,
                        street__isnull=True,
                        community__isnull=True,
                        firm__isnull=False,
                        compound__isnull=True,
                        department__isnull=True,
                    )
                    | Q(
                        role=Role.OWNERS_COMMITTEE,
                        street__isnull=True,
                        community__isnull=True,
                        firm__isnull=True,
                        compound__isnull=False,
                        department__isnull=True,
                    )
                    | Q(
                        role=Role.DEPARTMENT,
                        street__isnull=True,
                        community__isnull=True,
                        firm__isnull=True,
                        compound__isnull=True,
                        department__isnull=False,
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


class CoverageSnapshot(models.Model):
    """The counts behind the three coverage rates of the city, a district or a street on a day."""

    class Scope(models.TextChoices):
        CITY = "city", _("City")
        DISTRICT = "district", _("District")
        STREET = "street", _("Street")

    date = models.DateField(_("date"))
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices)
    district = models.ForeignKey(
        District,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="coverage_snapshots",
        verbose_name=_("district"),
    )
    street = models.ForeignKey(
        Street,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="coverage_snapshots",
        verbose_name=_("street"),
    )
    compounds = models.PositiveIntegerField(_("compounds"), default=0)
    households = models.PositiveIntegerField(_("households"), default=0)
    managed = models.PositiveIntegerField(_("professionally managed compounds"), default=0)
    party_orgs = models.PositiveIntegerField(
        _("managed compounds with a Party organisation"), default=0
    )
    owners_committees = models.PositiveIntegerField(
        _("compounds with an owners' committee"), default=0
    )
    red_heart = models.PositiveIntegerField(_("red-heart demonstration projects"), default=0)
    taken_at = models.DateTimeField(_("taken at"), auto_now=True)

    class Meta:
        ordering = ["date", "scope"]
        verbose_name = _("coverage snapshot")
        verbose_name_plural = _("coverage snapshots")
        constraints = [
            # One row per day and area: re-taking a day's snapshot updates these rows.
            models.UniqueConstraint(
                fields=["date"], condition=Q(scope="city"), name="coverage_snapshot_city_day"
            ),
            models.UniqueConstraint(
                fields=["date", "district"],
                condition=Q(scope="district"),
                name="coverage_snapshot_district_day",
            ),
            models.UniqueConstraint(
                fields=["date", "street"],
                condition=Q(scope="street"),
                name="coverage_snapshot_street_day",
            ),
            models.CheckConstraint(
                name="coverage_snapshot_scope_matches_area",
                condition=Q(scope="city", district__isnull=True, street__isnull=True)
                | Q(scope="district", district__isnull=False, street__isnull=True)
                | Q(scope="street", district__isnull=False, street__isnull=False),
            ),
            models.CheckConstraint(
                name="coverage_snapshot_counts_consistent",
                condition=Q(managed__lte=models.F("compounds"))
                & Q(party_orgs__lte=models.F("managed"))
                & Q(owners_committees__lte=models.F("compounds"))
                & Q(red_heart__lte=models.F("compounds")),
            ),
        ]

    def __str__(self) -> str:
        area = self.street or self.district
        return f"{self.date} {area or self.get_scope_display()}"


def new_import_token() -> str:
    return secrets.token_hex(16)


class ImportJob(models.Model):
    """One uploaded spreadsheet on its way through an import: read and checked once into a
    stored plan, then confirmed and applied (in the request, or by a worker if large)."""

    class Status(models.TextChoices):
        READING = "reading", _("Reading and checking the file")
        READY = "ready", _("Waiting for confirmation")
        REJECTED = "rejected", _("Refused: the file has errors")
        QUEUED = "queued", _("Waiting to be imported")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Not imported")

    RUNNING = (Status.READING, Status.QUEUED, Status.IMPORTING)

    # The session keeps it; the stored file is named after it, never after the client's name.
    token = models.CharField(
        _("token"), max_length=32, unique=True, default=new_import_token, editable=False
    )
    # The dotted path of the Importer class and its other arguments, as ids: a task takes ids.
    kind = models.CharField(_("kind"), max_length=200)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="import_jobs",
        verbose_name=_("user"),
    )
    name = models.CharField(_("file name"), max_length=200)
    ext = models.CharField(_("file type"), max_length=4)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.READING
    )
    # The progress of the current step: rows checked of the file's rows, then rows written.
    done = models.PositiveIntegerField(_("rows done"), default=0)
    total = models.PositiveIntegerField(_("rows in all"), default=0)
    to_create = models.PositiveIntegerField(_("rows to create"), default=0)
    to_update = models.PositiveIntegerField(_("rows to update"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged rows"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    errors = models.JSONField(_("first errors"), default=list, blank=True)
    # Rows to create or update with their cleaned values, as compressed JSON lines (a few MB
    # for 100,000 rows): the preview unpacks the first ones, the apply all. Unchanged rows
    # are only counted.
    plan = models.BinaryField(_("plan"), default=b"", blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return self.name

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING

    @property
    def percent(self) -> int:
        return min(100, self.done * 100 // self.total) if self.total else 0
