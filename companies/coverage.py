"""The coverage figures of the workbench: counts of firms and compounds and the three
coverage rates (domain.md) of the user's area, scoped like everything else.

Every figure comes from a fixed number of aggregate queries, whatever the size of the city:
one per table to list its areas, one per table to count their compounds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from portal.choices import Role
from portal.models import Community, CoverageSnapshot, District, Street, User
from portal.scoping import (
    CITY_WIDE_READERS,
    community_filter,
    compound_filter,
    firm_filter,
    is_signed_in,
    street_filter,
)

from .models import Compound, Firm

TREND_POINTS = 30
ONE_DECIMAL = Decimal("0.1")


def coverage_percent(part: int, whole: int) -> Decimal | None:
    """`part` of `whole` in percent with one decimal; None when there is nothing to cover."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def can_see_coverage(user: User) -> bool:
    """The coverage of an area: the bureau, the association and the officers of the area."""
    return is_signed_in(user) and user.role in LEVELS_BY_ROLE


def _figures() -> dict:
    """The counts behind the three rates, as aggregates over compounds."""
    managed = Q(firm__isnull=False)
    return {
        "compounds": Count("pk"),
        "households": Coalesce(Sum("households"), 0),
        "managed": Count("pk", filter=managed),
        "party_orgs": Count("pk", filter=managed & Q(has_party_org=True)),
        "owners_committees": Count("pk", filter=Q(has_owners_committee=True)),
        "red_heart": Count("pk", filter=Q(red_heart_year__isnull=False)),
        "firms": Count("firm", distinct=True),
    }


COUNT_FIELDS = (
    "compounds",
    "households",
    "managed",
    "party_orgs",
    "owners_committees",
    "red_heart",
    "firms",
)


@dataclass(frozen=True)
class CoverageFigures:
    """One area's counts and its three coverage rates (domain.md)."""

    name: str = ""
    parent: str = ""
    pk: int | None = None
    compounds: int = 0
    households: int = 0
    managed: int = 0
    party_orgs: int = 0
    owners_committees: int = 0
    red_heart: int = 0
    firms: int = 0

    @property
    def party_rate(self) -> Decimal | None:
        """党组织覆盖率: property projects with a Party organisation / managed compounds."""
        return coverage_percent(self.party_orgs, self.managed)

    @property
    def service_rate(self) -> Decimal | None:
        """专业物业服务覆盖率: compounds with a professional firm / all compounds."""
        return coverage_percent(self.managed, self.compounds)

    @property
    def committee_rate(self) -> Decimal | None:
        """业主委员会覆盖率: compounds with an owners' (or management) committee / all."""
        return coverage_percent(self.owners_committees, self.compounds)


@dataclass(frozen=True)
class CoverageTable:
    """The figures of each area of one level (district, street or community), and the total."""

    level: str
    title: str
    area_label: str
    parent_label: str
    rows: list[CoverageFigures]
    total: CoverageFigures
    more: bool = False  # more areas than AREAS_SHOWN: the first ones are shown


@dataclass(frozen=True)
class Dashboard:
    scope_label: str
    firms: int
    streets: int
    communities: int
    total: CoverageFigures
    tables: list[CoverageTable]
    chart: dict
    trend: list[tuple[str, CoverageFigures]] = field(default_factory=list)
    trend_chart: dict | None = None


# The areas a coverage table shows: a city's (48 streets in the demo), not a country's.
AREAS_SHOWN = 100
# level: (field of Compound to group by, table title, area label, parent label)
LEVELS = {
    "district": ("community__street__district_id", _("By district"), _("District"), ""),
    "street": ("community__street_id", _("By street or township"), _("Street"), _("District")),
    "community": ("community_id", _("By community"), _("Community"), _("Street")),
}
# The tables each role sees; the first one is drawn as the chart.
LEVELS_BY_ROLE = {
    Role.BUREAU: ("district", "street"),
    Role.ASSOCIATION: ("district", "street"),
    Role.STREET: ("community",),
    Role.COMMUNITY: ("community",),
}


def _areas(user: User, level: str) -> list[tuple[int, str, str]]:
    """The first AREAS_SHOWN areas of a level the user may see, as (pk, name, parent name),
    and one more when there are more (a country has 2,000 districts and 20,000 streets; a
    card of the workbench shows a city's, and says where to find the rest)."""
    if level == "district":
        streets = Street.objects.filter(street_filter(user)).values("district_id")
        rows = [
            (pk, name, "")
            for pk, name in District.objects.filter(pk__in=streets)
            .order_by("name")
            .values_list("pk", "name")[: AREAS_SHOWN + 1]
        ]
    elif level == "street":
        rows = list(
            Street.objects.filter(street_filter(user))
            .distinct()
            .order_by("district__name", "name")
            .values_list("pk", "name", "district__name")[: AREAS_SHOWN + 1]
        )
    else:
        rows = list(
            Community.objects.filter(community_filter(user))
            .order_by("street__name", "name")
            .values_list("pk", "name", "street__name")[: AREAS_SHOWN + 1]
        )
    return rows


def _table(user: User, level: str, compounds, total: CoverageFigures) -> CoverageTable:
    group, title, area_label, parent_label = LEVELS[level]
    areas = _areas(user, level)
    more = len(areas) > AREAS_SHOWN
    areas = areas[:AREAS_SHOWN]
    if more:  # the figures of the areas shown only
        compounds = compounds.filter(**{f"{group}__in": [pk for pk, _n, _p in areas]})
    counts = {
        row.pop(group): row for row in compounds.values(group).annotate(**_figures()).order_by()
    }
    rows = [
        CoverageFigures(name=name, parent=parent, pk=pk, **counts.get(pk, {}))
        for pk, name, parent in areas
    ]
    return CoverageTable(
        level=level,
        title=str(title),
        area_label=str(area_label),
        parent_label=str(parent_label),
        rows=rows,
        total=total,
        more=more,
    )


RATES = (
    ("party_rate", _("Party organisation coverage")),
    ("service_rate", _("Professional property service coverage")),
    ("committee_rate", _("Owners' committee coverage")),
)


def _chart(labels: list[str], figures: list[CoverageFigures]) -> dict:
    """Chart.js data for the three rates (json_script turns the Decimals into strings)."""
    return {
        "labels": labels,
        "datasets": [
            {"key": key, "label": str(label), "data": [getattr(f, key) for f in figures]}
            for key, label in RATES
        ],
    }


def _trend(user: User) -> list[tuple[str, CoverageFigures]]:
    """The latest daily snapshots of the user's whole scope, oldest first."""
    snapshots = CoverageSnapshot.objects.all()
    if user.role in CITY_WIDE_READERS:
        snapshots = snapshots.filter(scope=CoverageSnapshot.Scope.CITY)
    elif user.role == Role.STREET:
        snapshots = snapshots.filter(street_filter(user, via="street"), scope="street")
    else:
        return []
    latest = snapshots.order_by("-date").values("date", *COUNT_FIELDS[:-1])[:TREND_POINTS]
    return [(row.pop("date").isoformat(), CoverageFigures(**row)) for row in reversed(list(latest))]


def coverage_for_user(*, user: User) -> Dashboard:
    """The coverage card of an officer, association or bureau user: their area's counts,
    the three coverage rates per area, a chart and the trend of the daily snapshots."""
    if not can_see_coverage(user):
        raise PermissionDenied
    compounds = Compound.objects.filter(compound_filter(user))
    total = CoverageFigures(name=str(_("Total")), **compounds.aggregate(**_figures()))
    tables = [_table(user, level, compounds, total) for level in LEVELS_BY_ROLE[user.role]]
    first = tables[0]
    trend = _trend(user)
    return Dashboard(
        scope_label=user.scope_label,
        firms=Firm.objects.filter(firm_filter(user)).count(),
        streets=Street.objects.filter(street_filter(user)).distinct().count(),
        communities=Community.objects.filter(community_filter(user)).count(),
        total=total,
        tables=tables,
        chart=_chart([row.name for row in first.rows], first.rows),
        trend=trend,
        # A trend needs two days at least.
        trend_chart=_chart([d for d, _f in trend], [f for _d, f in trend]) if trend[1:] else None,
    )


def coverage_counts_by_street() -> dict[int, dict]:
    """The whole city's counts per street (for the daily snapshot): street id -> counts."""
    group = "community__street_id"
    rows = Compound.objects.values(group).annotate(**_figures()).order_by()
    return {row.pop(group): row for row in rows}
