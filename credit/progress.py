"""The assessment progress: per street and community of a user's area, the compounds assessed
out of the compounds to assess, the missing compounds and the laggard areas.

The figures are kept per community (credit/models/progress.py): the database marks the
community of every written assessment and compound, and `tallies_refresh` recounts the marked
communities before any figure is read. A country's progress therefore reads its 30,000
communities' kept counts, not its 600,000 compounds and 9,000,000 assessments.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count, Exists, F, FilteredRelation, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from companies.models import Compound
from portal import kept
from portal.choices import Role
from portal.models import Community, Street, User
from portal.scoping import community_filter, compound_filter, street_filter

from .choices import AssessorRole
from .models import (
    Assessment,
    CommunityAssessed,
    CommunityToAssess,
    ProgressMark,
)

# The areas a progress table shows: a city's (48 streets, 248 communities in the demo), not a
# country's; the street filter narrows the rest.
AREAS_SHOWN = 100
RECOUNT_LOCK = 0x70726F67  # "prog": one recount at a time on PostgreSQL


# --- keeping the counts ------------------------------------------------------------------------


def tallies_refresh() -> None:
    """Recount the communities the database marked since the last recount (portal.kept)."""
    kept.refresh(ProgressMark, _recount, lock=RECOUNT_LOCK)


# The counts of every community in one pass over each table: a country's 9,000,000 assessments
# take about a minute here, where recounting them community by community takes several.
REBUILD = [
    "DELETE FROM credit_progressmark",
    "DELETE FROM credit_communitytoassess",
    "DELETE FROM credit_communityassessed",
    """
    INSERT INTO credit_communitytoassess (community_id, compounds)
    SELECT c.id, COUNT(k.id) FROM portal_community c
    LEFT JOIN companies_compound k ON k.community_id = c.id AND k.firm_id IS NOT NULL
    GROUP BY c.id
    """,
    """
    INSERT INTO credit_communityassessed (year, assessor_role, community_id, compounds)
    SELECT a.year, a.assessor_role, k.community_id, COUNT(DISTINCT a.compound_id)
    FROM credit_assessment a JOIN companies_compound k ON k.id = a.compound_id
    WHERE k.firm_id IS NOT NULL
    GROUP BY a.year, a.assessor_role, k.community_id
    """,
]


def tallies_rebuild() -> None:
    """Count every community afresh: when the counts are first made (migration credit 0012)
    and after rows were loaded with the triggers off (the benches' COPY)."""
    with transaction.atomic(), connection.cursor() as cursor:
        for sql in REBUILD:
            cursor.execute(sql)


def _recount(community_ids: set[int]) -> None:
    ids = list(Community.objects.filter(pk__in=community_ids).values_list("pk", flat=True))
    to_assess = dict(
        Compound.objects.filter(community_id__in=ids, firm__isnull=False)
        .values_list("community_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    assessed = (
        Assessment.objects.filter(compound__community_id__in=ids, compound__firm__isnull=False)
        .values_list("year", "assessor_role", "compound__community_id")
        .annotate(n=Count("compound_id", distinct=True))
        .order_by()
    )
    CommunityToAssess.objects.filter(community_id__in=ids).delete()
    CommunityAssessed.objects.filter(community_id__in=ids).delete()
    CommunityToAssess.objects.bulk_create(
        CommunityToAssess(community_id=pk, compounds=to_assess.get(pk, 0)) for pk in ids
    )
    CommunityAssessed.objects.bulk_create(
        CommunityAssessed(year=year, assessor_role=role, community_id=community_id, compounds=n)
        for year, role, community_id, n in assessed
    )


def _to_assess(user: User) -> QuerySet[CommunityToAssess]:
    return CommunityToAssess.objects.filter(community_filter(user, via="community"))


def _assessed(user: User, *, year: int, role: str) -> QuerySet[CommunityAssessed]:
    return CommunityAssessed.objects.filter(
        community_filter(user, via="community"), year=year, assessor_role=role
    )


def _sums(queryset: QuerySet, group: str) -> dict[int, int]:
    return dict(queryset.values_list(group).annotate(n=Sum("compounds")).order_by())


# --- reading them -----------------------------------------------------------------------------


@dataclass
class AreaProgress:
    pk: int
    name: str
    parent: str
    parent_id: int
    total: int
    assessed: int

    @property
    def missing(self) -> int:
        return self.total - self.assessed

    @property
    def percent(self) -> int:
        return 100 if not self.total else self.assessed * 100 // self.total


@dataclass
class Progress:
    streets: list[AreaProgress]  # street officers' scores, the first AREAS_SHOWN streets
    communities: list[AreaProgress]  # community officers' scores, the first AREAS_SHOWN
    streets_more: bool
    communities_more: bool
    street_totals: tuple[int, int]  # assessed by street officers, to assess: the user's area
    community_totals: tuple[int, int]  # by community officers: the area or the street asked


def assessment_progress(*, year: int, user: User, street_id: int | None = None) -> Progress:
    """Per street (street officers' scores) and per community (community officers' scores) of
    the user's area, the first AREAS_SHOWN of each (the communities of one street if given):
    compounds assessed out of compounds to assess, counting the compounds of the area only;
    and the totals of the area. A fixed number of queries, whatever the country's size."""
    tallies_refresh()
    streets = list(
        Street.objects.filter(street_filter(user))
        .distinct()
        .order_by("district__name", "name")
        .values_list("pk", "name", "district__name", "district_id")[: AREAS_SHOWN + 1]
    )
    communities = Community.objects.filter(community_filter(user)).order_by("street__name", "name")
    if street_id:
        communities = communities.filter(street_id=street_id)
    communities = list(
        communities.values_list("pk", "name", "street__name", "street_id")[: AREAS_SHOWN + 1]
    )
    street_ids = [row[0] for row in streets[:AREAS_SHOWN]]
    community_ids = [row[0] for row in communities[:AREAS_SHOWN]]
    street, community = AssessorRole.STREET, AssessorRole.COMMUNITY
    by = "community__street_id"
    street_totals = _sums(_to_assess(user).filter(**{f"{by}__in": street_ids}), by)
    street_assessed = _sums(
        _assessed(user, year=year, role=street).filter(**{f"{by}__in": street_ids}), by
    )
    community_totals = _sums(
        _to_assess(user).filter(community_id__in=community_ids), "community_id"
    )
    community_assessed = _sums(
        _assessed(user, year=year, role=community).filter(community_id__in=community_ids),
        "community_id",
    )

    def rows(areas, totals, assessed) -> list[AreaProgress]:
        return [
            AreaProgress(
                pk=pk,
                name=name,
                parent=parent,
                parent_id=parent_id,
                total=totals.get(pk, 0),
                assessed=assessed.get(pk, 0),
            )
            for pk, name, parent, parent_id in areas[:AREAS_SHOWN]
        ]

    scope = Q(community__street_id=street_id) if street_id else Q()
    to_assess = _to_assess(user).aggregate(
        area=Sum("compounds", default=0), scope=Sum("compounds", default=0, filter=scope)
    )
    assessed = CommunityAssessed.objects.filter(
        community_filter(user, via="community"), year=year
    ).aggregate(
        by_street=Sum("compounds", default=0, filter=Q(assessor_role=street)),
        by_community=Sum("compounds", default=0, filter=Q(assessor_role=community) & scope),
    )
    return Progress(
        streets=rows(streets, street_totals, street_assessed),
        communities=rows(communities, community_totals, community_assessed),
        streets_more=len(streets) > AREAS_SHOWN,
        communities_more=len(communities) > AREAS_SHOWN,
        street_totals=(assessed["by_street"], to_assess["area"]),
        community_totals=(assessed["by_community"], to_assess["scope"]),
    )


def _total(queryset: QuerySet) -> int:
    return queryset.aggregate(n=Sum("compounds", default=0))["n"]


def _compounds_with_assessed_flags(*, year: int, user: User | None = None) -> QuerySet[Compound]:
    """The assessable compounds (with a firm), of the user's area if a user is given, each
    flagged whether a street and a community officer scored it in `year` (any indicator, any
    firm)."""
    of_year = Assessment.objects.filter(year=year, compound_id=OuterRef("pk"))
    compounds = Compound.objects.filter(firm__isnull=False)
    if user is not None:
        compounds = compounds.filter(compound_filter(user))
    return compounds.annotate(
        by_street=Exists(of_year.filter(assessor_role=AssessorRole.STREET)),
        by_community=Exists(of_year.filter(assessor_role=AssessorRole.COMMUNITY)),
    )


def _communities_missing(*, year: int, user: User | None = None) -> QuerySet[Community]:
    """The communities (of the user's area, if a user is given) with compounds that a street
    or a community officer has not scored in `year`, from the kept counts, each with
    `to_assess`, `by_street` and `by_community`: one join over a row per community."""
    tallies_refresh()

    def kept_of(role: str) -> FilteredRelation:
        return FilteredRelation(
            "assessed_counts",
            condition=Q(assessed_counts__year=year, assessed_counts__assessor_role=role),
        )

    communities = Community.objects.filter(community_filter(user)) if user else Community.objects
    return (
        communities.annotate(street_kept=kept_of(AssessorRole.STREET))
        .annotate(community_kept=kept_of(AssessorRole.COMMUNITY))
        .annotate(
            total=F("to_assess__compounds"),
            by_street=Coalesce("street_kept__compounds", 0),
            by_community=Coalesce("community_kept__compounds", 0),
        )
        .filter(Q(total__gt=F("by_street")) | Q(total__gt=F("by_community")))
    )


def compounds_missing_assessment(
    *, year: int, user: User, street_id: int | None = None, community_id: int | None = None
) -> QuerySet[Compound]:
    """The compounds of the user's area that a street or a community officer has not scored
    yet in `year`, looked for in the communities whose kept counts say some are missing."""
    queryset = (
        _compounds_with_assessed_flags(year=year, user=user)
        .filter(community_id__in=_communities_missing(year=year, user=user).values("pk"))
        .filter(Q(by_street=False) | Q(by_community=False))
    )
    if street_id:
        queryset = queryset.filter(community__street_id=street_id)
    if community_id:
        queryset = queryset.filter(community_id=community_id)
    return queryset.select_related("community__street", "firm").order_by(
        "community__street__name", "community__name", "code"
    )


def laggard_counts(*, year: int, level: str) -> dict[int, int]:
    """Street id (level `street`) or community id (level `community`) -> number of compounds
    its officers have not scored in `year`; areas with none missing are absent."""
    laggards: dict[int, int] = {}
    for community, street, total, by_street, by_community in _communities_missing(
        year=year
    ).values_list("pk", "street_id", "total", "by_street", "by_community"):
        if level == AssessorRole.STREET:
            area, missing = street, total - by_street
        else:
            area, missing = community, total - by_community
        if missing:
            laggards[area] = laggards.get(area, 0) + missing
    return laggards


def compounds_to_assess(*, user: User, role: str, years: list[int]) -> dict[int, int]:
    """Year -> the compounds of the user's area that `role` has not scored yet that year. The
    kept counts of the area's communities; a committee's area is its one compound, counted
    directly."""
    if user.role == Role.OWNERS_COMMITTEE:
        compounds = Compound.objects.filter(compound_filter(user), firm__isnull=False)
        return {year: not_scored_by(compounds, year=year, role=role).count() for year in years}
    tallies_refresh()
    total = _total(_to_assess(user))
    assessed = dict(
        CommunityAssessed.objects.filter(
            community_filter(user, via="community"), year__in=years, assessor_role=role
        )
        .values_list("year")
        .annotate(n=Sum("compounds"))
        .order_by()
    )
    return {year: total - assessed.get(year, 0) for year in sorted(years)}


def not_scored_by(queryset: QuerySet[Compound], *, year: int, role: str) -> QuerySet[Compound]:
    """The compounds of `queryset` that `role` has not scored yet in `year`."""
    scored = Assessment.objects.filter(year=year, assessor_role=role, compound_id=OuterRef("pk"))
    return queryset.exclude(Exists(scored))
