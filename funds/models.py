"""The residential special maintenance fund: accounts, household ledgers, use applications."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import (
    EMERGENCY_WAITING,
    EmergencyKind,
    EmergencyStatus,
    EntryKind,
    FundingSource,
    ItemProgress,
    NoticeKind,
    OrdinaryStatus,
    PlanStatus,
    Scope,
)

MONEY = {"max_digits": 14, "decimal_places": 2}
AREA = {"max_digits": 12, "decimal_places": 2}
CENT = Decimal("0.01")
EVIDENCE_EXTENSIONS = ["jpg", "jpeg", "png", "pdf"]


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


class FundAccount(models.Model):
    """The maintenance fund account of one compound; its households hold the money."""

    compound = models.OneToOneField(
        "companies.Compound",
        on_delete=models.PROTECT,
        related_name="fund_account",
        verbose_name=_("compound"),
    )
    opened_on = models.DateField(_("opened on"), default=dt.date.today)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["compound__code"]
        verbose_name = _("fund account")
        verbose_name_plural = _("fund accounts")

    def __str__(self) -> str:
        return str(self.compound)


class HouseholdQuerySet(models.QuerySet):
    def in_scope(self, *, scope: str, building: str = "", unit: str = "") -> HouseholdQuerySet:
        if scope == Scope.BUILDING:
            return self.filter(building=building)
        if scope == Scope.UNIT:
            return self.filter(building=building, unit=unit)
        return self


class Household(models.Model):
    """A household sub-account (分户账); its balance is the sum of its ledger entries."""

    account = models.ForeignKey(
        FundAccount, on_delete=models.PROTECT, related_name="households", verbose_name=_("account")
    )
    building = models.CharField(_("building"), max_length=20)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    room = models.CharField(_("room"), max_length=20)
    floor_area = models.DecimalField(
        _("floor area (m²)"), **AREA, validators=[MinValueValidator(CENT)]
    )
    owner_name = models.CharField(_("owner"), max_length=60)
    initial_deposit = models.DecimalField(
        _("initial deposit"), **MONEY, default=Decimal("0.00"), validators=[MinValueValidator(0)]
    )
    # Kept equal to the sum of the entries by the ledger services only, under a row lock.
    balance = models.DecimalField(_("balance"), **MONEY, default=Decimal("0.00"), editable=False)
    history = HistoricalRecords()

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        ordering = ["account", "building", "unit", "room"]
        verbose_name = _("household")
        verbose_name_plural = _("households")
        constraints = [
            models.UniqueConstraint(
                fields=["account", "building", "unit", "room"], name="household_unique_room"
            ),
            models.CheckConstraint(
                name="household_balance_not_negative",
                condition=Q(balance__gte=0),
                violation_error_message=_("A household's balance cannot be negative."),
            ),
            models.CheckConstraint(
                name="household_floor_area_positive", condition=Q(floor_area__gt=0)
            ),
            models.CheckConstraint(
                name="household_initial_deposit_not_negative", condition=Q(initial_deposit__gte=0)
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        parts = [
            _("Building %(b)s") % {"b": self.building},
            _("Unit %(u)s") % {"u": self.unit} if self.unit else "",
            _("Room %(r)s") % {"r": self.room},
        ]
        return " ".join(p for p in parts if p)

    @property
    def masked_owner(self) -> str:
        return mask_name(self.owner_name)


class Posting(models.Model):
    """One money movement (记账凭证): its entries move money on one or more households."""

    account = models.ForeignKey(
        FundAccount, on_delete=models.PROTECT, related_name="postings", verbose_name=_("account")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EntryKind.choices)
    # The absolute amount moved; each entry carries its sign.
    amount = models.DecimalField(_("amount"), **MONEY)
    memo = models.CharField(_("memo"), max_length=200, blank=True)
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name=_("reverses"),
    )
    emergency = models.ForeignKey(
        "EmergencyApplication",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="postings",
    )
    ordinary = models.ForeignKey(
        "OrdinaryApplication",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="postings",
    )
    created_at = models.DateTimeField(_("posted"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,  # None: posted from the command line (an import)
        related_name="+",
        verbose_name=_("posted by"),
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("posting")
        verbose_name_plural = _("postings")
        constraints = [
            models.CheckConstraint(name="posting_amount_positive", condition=Q(amount__gt=0)),
            models.CheckConstraint(
                name="posting_reversal_has_original",
                condition=Q(kind=EntryKind.REVERSAL, reverses__isnull=False)
                | (~Q(kind=EntryKind.REVERSAL) & Q(reverses__isnull=True)),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not self._state.adding:
            raise ValidationError(_("The ledger is append-only: post a reversal instead."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("The ledger is append-only: post a reversal instead."))


class Entry(models.Model):
    """One line of a household's ledger; never changed or deleted once written."""

    posting = models.ForeignKey(
        Posting, on_delete=models.PROTECT, related_name="entries", verbose_name=_("posting")
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="entries", verbose_name=_("household")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EntryKind.choices)
    amount = models.DecimalField(_("amount"), **MONEY)
    balance_after = models.DecimalField(_("balance after"), **MONEY)
    created_at = models.DateTimeField(_("posted"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        constraints = [
            models.CheckConstraint(
                name="entry_sign_matches_kind",
                condition=Q(kind__in=[EntryKind.DEPOSIT, EntryKind.INTEREST], amount__gt=0)
                | Q(kind__in=[EntryKind.DISBURSEMENT, EntryKind.REFUND], amount__lt=0)
                | (Q(kind=EntryKind.REVERSAL) & ~Q(amount=0)),
            ),
            models.CheckConstraint(
                name="entry_balance_after_not_negative", condition=Q(balance_after__gte=0)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household} {self.amount}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not self._state.adding:
            raise ValidationError(_("The ledger is append-only: post a reversal instead."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("The ledger is append-only: post a reversal instead."))


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


class EmergencyQuerySet(models.QuerySet):
    def waiting(self) -> EmergencyQuerySet:
        return self.filter(status__in=EMERGENCY_WAITING)

    def overdue(self, now: dt.datetime | None = None) -> EmergencyQuerySet:
        return self.waiting().filter(step_due_at__lt=now or timezone.now())


class EmergencyApplication(ScopedWork):
    """An emergency use of the fund (应急使用): certified, confirmed and approved against clocks."""

    compound = models.ForeignKey(
        "companies.Compound",
        on_delete=models.PROTECT,
        related_name="emergency_applications",
        verbose_name=_("compound"),
    )
    kind = models.CharField(_("emergency"), max_length=20, choices=EmergencyKind.choices)
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"))
    quote_amount = models.DecimalField(
        _("quoted cost"), **MONEY, validators=[MinValueValidator(CENT)]
    )
    quote_file = models.FileField(
        _("quote"),
        upload_to="funds/quotes/%Y/%m/",
        blank=True,
        validators=[FileExtensionValidator(EVIDENCE_EXTENSIONS)],
    )
    status = models.CharField(
        _("status"), max_length=20, choices=EmergencyStatus.choices, default=EmergencyStatus.FILED
    )
    step_hours = models.PositiveSmallIntegerField(
        _("hours per step"), default=default_step_hours, validators=[MinValueValidator(1)]
    )
    step_started_at = models.DateTimeField(_("step started"), default=timezone.now)
    step_due_at = models.DateTimeField(_("step due"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    filed_at = models.DateTimeField(_("filed"), default=timezone.now)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    certified_at = models.DateTimeField(_("certified"), null=True, blank=True)
    certified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    approved_amount = models.DecimalField(_("approved cost"), **MONEY, null=True, blank=True)
    rejected_at = models.DateTimeField(_("rejected"), null=True, blank=True)
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    reject_reason = models.TextField(_("reason for rejection"), blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    history = HistoricalRecords()

    objects = EmergencyQuerySet.as_manager()

    class Meta:
        ordering = ["-filed_at", "-pk"]
        verbose_name = _("emergency use application")
        verbose_name_plural = _("emergency use applications")
        constraints = [
            models.CheckConstraint(
                name="emergency_quote_positive", condition=Q(quote_amount__gt=0)
            ),
            models.CheckConstraint(
                name="emergency_approved_within_quote",
                condition=Q(approved_amount__isnull=True)
                | Q(approved_amount__gt=0, approved_amount__lte=F("quote_amount")),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_waiting(self) -> bool:
        return self.status in EMERGENCY_WAITING

    def is_overdue(self, now: dt.datetime | None = None) -> bool:
        return bool(
            self.is_waiting and self.step_due_at and self.step_due_at < (now or timezone.now())
        )

    @property
    def overdue(self) -> bool:
        return self.is_overdue()

    @property
    def age(self) -> dt.timedelta:
        return timezone.now() - self.filed_at

    @property
    def step_age(self) -> dt.timedelta:
        return timezone.now() - self.step_started_at


class EmergencyEvidence(models.Model):
    """A photo or document showing the emergency."""

    application = models.ForeignKey(
        EmergencyApplication,
        on_delete=models.PROTECT,
        related_name="evidence",
        verbose_name=_("application"),
    )
    file = models.FileField(
        _("file"),
        upload_to="funds/evidence/%Y/%m/",
        validators=[FileExtensionValidator(EVIDENCE_EXTENSIONS)],
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.file.name


class OrdinaryApplication(ScopedWork):
    """An ordinary use of the fund (一般使用), decided by the owners' vote (Civil Code art. 278)."""

    compound = models.ForeignKey(
        "companies.Compound",
        on_delete=models.PROTECT,
        related_name="ordinary_applications",
        verbose_name=_("compound"),
    )
    title = models.CharField(_("title"), max_length=120)
    items = models.TextField(_("items of work"))
    budget = models.DecimalField(_("budget"), **MONEY, validators=[MinValueValidator(CENT)])
    raises_fund = models.BooleanField(
        _("raises or tops up the fund"),
        default=False,
        help_text=_("Needs three quarters of the participants instead of a majority."),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=OrdinaryStatus.choices,
        default=OrdinaryStatus.PUBLICISED,
    )
    publicity_start = models.DateField(_("publicity from"))
    publicity_end = models.DateField(_("publicity until"))
    first_payment_ratio = models.DecimalField(
        _("first payment ratio"),
        max_digits=3,
        decimal_places=2,
        default=default_first_payment_ratio,
    )
    filed_at = models.DateTimeField(_("filed"), default=timezone.now)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    review_comment = models.TextField(_("review comment"), blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    final_cost = models.DecimalField(_("final cost"), **MONEY, null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-filed_at", "-pk"]
        verbose_name = _("ordinary use application")
        verbose_name_plural = _("ordinary use applications")
        constraints = [
            models.CheckConstraint(name="ordinary_budget_positive", condition=Q(budget__gt=0)),
            models.CheckConstraint(
                name="ordinary_first_ratio_range",
                condition=Q(first_payment_ratio__gt=0, first_payment_ratio__lte=1),
            ),
            models.CheckConstraint(
                name="ordinary_publicity_order",
                condition=Q(publicity_end__gte=F("publicity_start")),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class OwnersVote(models.Model):
    """The owners' vote on an ordinary use, and whether it met art. 278."""

    application = models.OneToOneField(
        OrdinaryApplication,
        on_delete=models.PROTECT,
        related_name="vote",
        verbose_name=_("application"),
    )
    total_area = models.DecimalField(_("total floor area"), **AREA)
    total_owners = models.PositiveIntegerField(_("total owners"))
    participating_area = models.DecimalField(_("participating floor area"), **AREA)
    participating_owners = models.PositiveIntegerField(_("participating owners"))
    yes_area = models.DecimalField(_("floor area voting yes"), **AREA)
    yes_owners = models.PositiveIntegerField(_("owners voting yes"))
    passed = models.BooleanField(_("passed"))
    reasons = models.TextField(_("reasons"), blank=True)
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("owners' vote")
        verbose_name_plural = _("owners' votes")
        constraints = [
            models.CheckConstraint(
                name="vote_counts_nested",
                condition=Q(
                    total_area__gt=0,
                    total_owners__gt=0,
                    participating_area__lte=F("total_area"),
                    participating_owners__lte=F("total_owners"),
                    yes_area__lte=F("participating_area"),
                    yes_owners__lte=F("participating_owners"),
                    yes_area__gte=0,
                    participating_area__gte=0,
                ),
            )
        ]

    def __str__(self) -> str:
        return str(self.application)


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


class MaintenancePlan(models.Model):
    """A firm's yearly maintenance plan for one compound (物业维修养护计划申报)."""

    compound = models.ForeignKey(
        "companies.Compound",
        on_delete=models.PROTECT,
        related_name="maintenance_plans",
        verbose_name=_("compound"),
    )
    firm = models.ForeignKey(
        "companies.Firm",
        on_delete=models.PROTECT,
        related_name="maintenance_plans",
        verbose_name=_("firm"),
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    status = models.CharField(
        _("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    street_reviewed_at = models.DateTimeField(_("reviewed by the street"), null=True, blank=True)
    street_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    street_comment = models.TextField(_("street's comments"), blank=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    bureau_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    bureau_comment = models.TextField(_("bureau's comments"), blank=True)
    # Set once: a plan is turned into at most one credit deduction.
    credit_event = models.OneToOneField(
        "credit.CreditEvent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="maintenance_plan",
        verbose_name=_("credit deduction"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "compound__code"]
        verbose_name = _("maintenance plan")
        verbose_name_plural = _("maintenance plans")
        constraints = [
            models.UniqueConstraint(
                fields=["compound", "year"],
                name="plan_one_per_compound_year",
                violation_error_message=_("This compound already has a plan for this year."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.compound} {self.year}"

    @property
    def is_editable(self) -> bool:
        return self.status in (PlanStatus.DRAFT, PlanStatus.RETURNED)


class PlanItemQuerySet(models.QuerySet):
    def overdue(self, today: dt.date | None = None) -> PlanItemQuerySet:
        """Items of approved plans whose planned month is over and that are not done."""
        today = today or timezone.localdate()
        return self.filter(
            Q(plan__year__lt=today.year) | Q(plan__year=today.year, planned_month__lt=today.month),
            plan__status=PlanStatus.APPROVED,
        ).exclude(progress=ItemProgress.DONE)


class MaintenancePlanItem(models.Model):
    """One planned piece of work: facility, work, month, estimated cost, who pays; progress."""

    plan = models.ForeignKey(
        MaintenancePlan, on_delete=models.PROTECT, related_name="items", verbose_name=_("plan")
    )
    facility = models.CharField(_("facility"), max_length=100)
    work = models.CharField(_("work"), max_length=200)
    planned_month = models.PositiveSmallIntegerField(
        _("planned month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    estimated_cost = models.DecimalField(
        _("estimated cost"), **MONEY, validators=[MinValueValidator(CENT)]
    )
    funding_source = models.CharField(
        _("funding source"), max_length=20, choices=FundingSource.choices
    )
    progress = models.CharField(
        _("progress"), max_length=20, choices=ItemProgress.choices, default=ItemProgress.NOT_STARTED
    )
    progress_date = models.DateField(_("progress date"), null=True, blank=True)
    progress_note = models.CharField(_("progress note"), max_length=300, blank=True)
    history = HistoricalRecords()

    objects = PlanItemQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "planned_month", "pk"]
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")
        constraints = [
            models.CheckConstraint(
                name="plan_item_cost_positive", condition=Q(estimated_cost__gt=0)
            ),
            models.CheckConstraint(
                name="plan_item_month_range",
                condition=Q(planned_month__gte=1, planned_month__lte=12),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.facility}: {self.work}"

    def is_overdue(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return (
            self.plan.status == PlanStatus.APPROVED
            and self.progress != ItemProgress.DONE
            and (self.plan.year, self.planned_month) < (today.year, today.month)
        )
