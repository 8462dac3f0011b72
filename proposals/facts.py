"""Live figures a reply may cite, each taken with its date.

A small registry: other apps add their figures (credit ratings, fund uses) with

    from proposals.facts import register_fact

    @register_fact("credit_rated_firms", _("Firms rated this year"))
    def rated_firms() -> str: ...

Each function returns the figure as display text and runs a single aggregate query.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


@dataclass(frozen=True)
class Fact:
    key: str
    label: str
    func: Callable[[], str]


@dataclass(frozen=True)
class FactValue:
    key: str
    label: str
    value: str
    taken_on: dt.date

    @property
    def citation(self) -> str:
        """The text inserted into a reply: label, figure and the date it was taken."""
        return _("%(label)s: %(value)s (as of %(date)s)") % {
            "label": self.label,
            "value": self.value,
            "date": date_format(self.taken_on, "DATE_FORMAT"),
        }


REGISTRY: dict[str, Fact] = {}


def register_fact(key: str, label) -> Callable[[Callable[[], str]], Callable[[], str]]:
    def decorator(func: Callable[[], str]) -> Callable[[], str]:
        REGISTRY[key] = Fact(key=key, label=label, func=func)
        return func

    return decorator


def facts_snapshot(keys: list[str] | None = None) -> list[FactValue]:
    """Every registered figure (or those named), computed now."""
    today = timezone.localdate()
    chosen = [REGISTRY[k] for k in keys if k in REGISTRY] if keys else REGISTRY.values()
    return [
        FactValue(key=f.key, label=str(f.label), value=f.func(), taken_on=today) for f in chosen
    ]


def _percent(part: int, whole: int) -> str:
    return f"{part * 100 / whole:.1f}%" if whole else "—"


def _compound_counts() -> dict[str, int]:
    from companies.models import Compound

    return Compound.objects.aggregate(
        total=Count("pk"),
        managed=Count("pk", filter=Q(firm__isnull=False)),
        party=Count("pk", filter=Q(has_party_org=True)),
        committee=Count("pk", filter=Q(has_owners_committee=True)),
        red_heart=Count("pk", filter=Q(red_heart_year__isnull=False)),
    )


@register_fact("firms", gettext_lazy("Property service firms registered"))
def _firms() -> str:
    from companies.models import Firm

    return str(Firm.objects.count())


@register_fact("compounds", gettext_lazy("Residential compounds registered"))
def _compounds() -> str:
    return str(_compound_counts()["total"])


@register_fact("red_heart", gettext_lazy("Red-heart demonstration projects"))
def _red_heart() -> str:
    return str(_compound_counts()["red_heart"])


@register_fact("party_coverage", gettext_lazy("Party organisation coverage"))
def _party_coverage() -> str:
    c = _compound_counts()
    return _percent(c["party"], c["total"])


@register_fact("professional_coverage", gettext_lazy("Professional property service coverage"))
def _professional_coverage() -> str:
    c = _compound_counts()
    return _percent(c["managed"], c["total"])


@register_fact("committee_coverage", gettext_lazy("Owners' committee coverage"))
def _committee_coverage() -> str:
    c = _compound_counts()
    return _percent(c["committee"], c["total"])


# Credit ratings: the latest finished run of the latest year that has one ------------------


def _latest_rating_counts() -> dict[str, int] | None:
    from credit.choices import Grade, RunStatus
    from credit.models import Rating, RatingRun
    from credit.selectors import latest_finished_run

    year = (
        RatingRun.objects.filter(status=RunStatus.FINISHED)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
    run = latest_finished_run(year=year) if year else None
    if run is None:
        return None
    counts = Rating.objects.filter(run=run).aggregate(
        rated=Count("pk", filter=~Q(grade="")),
        a=Count("pk", filter=Q(grade=Grade.A)),
        d=Count("pk", filter=Q(grade=Grade.D)),
    )
    return {**counts, "year": run.year}


def _rating_figure(key: str) -> str:
    counts = _latest_rating_counts()
    if counts is None:
        return "—"
    return _("%(count)d (%(year)d rating)") % {"count": counts[key], "year": counts["year"]}


@register_fact("credit_rated_firms", gettext_lazy("Firms rated in the latest credit rating"))
def _credit_rated_firms() -> str:
    return _rating_figure("rated")


@register_fact("credit_grade_a", gettext_lazy("Firms rated A"))
def _credit_grade_a() -> str:
    return _rating_figure("a")


@register_fact("credit_grade_d", gettext_lazy("Firms rated D"))
def _credit_grade_d() -> str:
    return _rating_figure("d")


# Maintenance funds -------------------------------------------------------------------------


def _emergency_approved() -> dict:
    from django.db.models import Sum

    from funds.choices import EmergencyStatus
    from funds.models import EmergencyApplication

    return EmergencyApplication.objects.filter(
        status__in=(EmergencyStatus.APPROVED, EmergencyStatus.COMPLETED)
    ).aggregate(count=Count("pk"), total=Sum("approved_amount"))


@register_fact("emergency_uses", gettext_lazy("Emergency fund uses approved"))
def _emergency_uses() -> str:
    return str(_emergency_approved()["count"])


@register_fact("emergency_amount", gettext_lazy("Amount approved for emergency uses"))
def _emergency_amount() -> str:
    total = _emergency_approved()["total"] or Decimal("0.00")
    return _("%(amount)s yuan") % {"amount": f"{total:,.2f}"}


@register_fact("fund_use_plans", gettext_lazy("Ordinary fund use plans publicised"))
def _fund_use_plans() -> str:
    from funds.models import OrdinaryApplication

    return str(OrdinaryApplication.objects.count())


@register_fact("maintenance_plans", gettext_lazy("Maintenance plans declared this year"))
def _maintenance_plans() -> str:
    from django.apps import apps

    try:
        plan = apps.get_model("funds", "MaintenancePlan")
    except LookupError:  # the funds app without yearly maintenance plans
        return "—"
    # Declared: submitted at least once (a plan returned for changes was declared).
    year = timezone.localdate().year
    return str(plan.objects.filter(year=year, submitted_at__isnull=False).count())
