"""Warnings a community raises about a compound, the street's whistle to departments and the
departments' reports (社区预警、街道吹哨、部门报到)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import PHOTO_EXTENSIONS, CaseState, Step, Urgency


class Category(models.Model):
    """A kind of warning (消防通道, 电梯 …): a list the bureau keeps in the admin."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    code = models.SlugField(_("code"), max_length=30, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("warning category")
        verbose_name_plural = _("warning categories")

    def __str__(self) -> str:
        return self.name


def _user_fk(verbose_name) -> models.ForeignKey:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose_name,
    )


class Case(models.Model):
    """A community's warning about a compound and what the street and departments did."""

    compound = models.ForeignKey(
        "companies.Compound",
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("compound"),
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="cases", verbose_name=_("category")
    )
    description = models.TextField(_("description"), max_length=5000)
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    state = models.CharField(
        _("state"), max_length=10, choices=CaseState.choices, default=CaseState.RAISED
    )
    # Raised to 2, 3 … each time the community finds the case not resolved and reopens it;
    # the whistle of a round names that round's departments.
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    raised_by = _user_fk(_("raised by"))
    raised_at = models.DateTimeField(_("raised"))
    review_due = models.DateTimeField(_("review by"))
    reviewed_by = _user_fk(_("reviewed by"))
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    handled_by_street = models.BooleanField(_("handled by the street itself"), default=False)
    street_note = models.TextField(_("street's note"), blank=True, max_length=5000)
    reports_done_at = models.DateTimeField(_("all departments reported"), null=True, blank=True)
    close_due = models.DateTimeField(_("close by"), null=True, blank=True)
    closed_by = _user_fk(_("closed by"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    close_note = models.TextField(_("closing note"), blank=True, max_length=5000)
    confirm_due = models.DateTimeField(_("confirm by"), null=True, blank=True)
    confirmed_by = _user_fk(_("confirmed by"))
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    confirm_note = models.TextField(_("community's note"), blank=True, max_length=5000)
    reopen_reason = models.TextField(_("why it was reopened"), blank=True, max_length=5000)
    # cases knows credit, credit does not know cases: the link lives here.
    credit_event = models.OneToOneField(
        "credit.CreditEvent",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="case",
        verbose_name=_("credit event"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-raised_at", "-pk"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [models.Index(fields=["state", "raised_at"], name="case_state_raised")]
        constraints = [
            models.CheckConstraint(
                name="case_confirmed_was_closed",
                condition=~Q(state=CaseState.CONFIRMED) | Q(closed_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.category_id} {self.compound_id}"

    @property
    def street_id(self) -> int:
        return self.compound.community.street_id

    def current_step(self) -> tuple[str, object] | None:
        """The open step and its deadline (for reports, the earliest unreported one)."""
        if self.state == CaseState.RAISED:
            return Step.REVIEW, self.review_due
        if self.state == CaseState.WHISTLED:
            if self.close_due:
                return Step.CLOSE, self.close_due
            dues = [d.due for d in self.current_dispatches() if d.reported_at is None]
            return Step.REPORT, min(dues) if dues else None
        if self.state == CaseState.CLOSED:
            return Step.CONFIRM, self.confirm_due
        return None

    def current_dispatches(self) -> list[Dispatch]:
        """This round's dispatches (from the prefetched rows when the selector fetched them)."""
        return [d for d in self.dispatches.all() if d.round == self.round]

    def is_overdue(self, now) -> bool:
        if self.state == CaseState.WHISTLED and not self.close_due:
            return any(d.is_overdue(now) for d in self.current_dispatches())
        step = self.current_step()
        return bool(step and step[1] and step[1] < now)


class Dispatch(models.Model):
    """One department the street whistled to for a case (吹哨), and its report (报到)."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="dispatches", verbose_name=_("case")
    )
    department = models.ForeignKey(
        "portal.Department",
        on_delete=models.PROTECT,
        related_name="dispatches",
        verbose_name=_("department"),
    )
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    dispatched_by = _user_fk(_("whistled by"))
    dispatched_at = models.DateTimeField(_("whistled"))
    due = models.DateTimeField(_("report by"))
    action = models.TextField(_("action taken"), blank=True, max_length=5000)
    result = models.TextField(_("result"), blank=True, max_length=5000)
    reported_by = _user_fk(_("reported by"))
    reported_at = models.DateTimeField(_("reported"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["case", "round", "department__order"]
        verbose_name = _("dispatch")
        verbose_name_plural = _("dispatches")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "department", "round"], name="dispatch_one_per_round"
            ),
            models.CheckConstraint(
                name="dispatch_report_complete",
                condition=Q(reported_at__isnull=True) | ~Q(result=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.department_id}"

    @property
    def is_reported(self) -> bool:
        return self.reported_at is not None

    def is_overdue(self, now) -> bool:
        return self.reported_at is None and self.due < now

    @property
    def was_late(self) -> bool:
        return self.reported_at is not None and self.reported_at > self.due


class CasePhoto(models.Model):
    """A photo (JPG or PNG) the community officer took on the spot."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="photos", verbose_name=_("case")
    )
    file = models.FileField(
        _("photo"),
        upload_to="cases/%Y/",
        max_length=200,
        validators=[FileExtensionValidator(PHOTO_EXTENSIONS)],
    )
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["case", "pk"]
        verbose_name = _("case photo")
        verbose_name_plural = _("case photos")

    def __str__(self) -> str:
        return self.name
