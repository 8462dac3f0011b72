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
