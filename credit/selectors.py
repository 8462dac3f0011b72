"""Reads of the credit app: who may see which rule set, run and rating."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from companies.models import Compound, Firm
from portal.choices import Role
from portal.models import Community, Street, User
from portal.scoping import (
    CITY_WIDE_READERS,
    community_filter,
    compound_filter,
    is_bureau,
    is_signed_in,
    street_filter,
)

from . import rating as rating_rules
from .choices import AssessorRole, RunStatus
from .models import (
    Assessment,
    AssessmentWindow,
    CreditEvent,
    Indicator,
    Rating,
    RatingBreakdown,
    RatingRun,
    RuleSet,
    RuleWeight,
)

# --- access ----------------------------------------------------------------------------------


def can_manage_credit(user: User) -> bool:
    """Rule sets, runs and events are kept by bureau staff."""
    return is_bureau(user)


def can_read_ratings(user: User) -> bool:
    """Every run and rating, published or not: the bureau and the association."""
    return is_signed_in(user) and user.role in CITY_WIDE_READERS


# --- rule sets -------------------------------------------------------------------------------


def indicators() -> QuerySet[Indicator]:
    return Indicator.objects.order_by("order", "code")


def rule_sets_list() -> QuerySet[RuleSet]:
    weights = RuleWeight.objects.select_related("indicator").order_by("indicator__order")
    return RuleSet.objects.prefetch_related(
        Prefetch("weights", queryset=weights, to_attr="ordered_weights")
    ).order_by("-year")


def rule_set_get(*, user: User, pk: int) -> RuleSet:
    if not can_read_ratings(user):
        raise Http404(_("No such rule set."))
    try:
        return rule_sets_list().get(pk=pk)
    except RuleSet.DoesNotExist:
        raise Http404(_("No such rule set.")) from None


# --- runs and ratings ------------------------------------------------------------------------


def rating_runs_for_user(*, user: User) -> QuerySet[RatingRun]:
    if not can_read_ratings(user):
        return RatingRun.objects.none()
    return RatingRun.objects.select_related("rule_set", "started_by").order_by("-started_at", "-pk")


def rating_run_get_for_user(*, user: User, pk: int) -> RatingRun:
    try:
        return rating_runs_for_user(user=user).get(pk=pk)
    except RatingRun.DoesNotExist:
        raise Http404(_("No such rating run.")) from None


def firms_assessed(*, year: int) -> QuerySet[Firm]:
    """The firms with at least one assessment in `year`, in id order: one index probe per
    firm (a DISTINCT over the year's assessments would read every one of them)."""
    return Firm.objects.filter(
        Exists(Assessment.objects.filter(year=year, firm_id=OuterRef("pk")))
    ).order_by("pk")


def ratings_of_run(run: RatingRun) -> QuerySet[Rating]:
    """The run's ratings in rank order, the firms that are not rated last (by credit code)."""
    return (
        Rating.objects.filter(run=run)
        .select_related("firm")
        .order_by(F("rank").asc(nulls_last=True), "firm__credit_code")
    )


def rating_get_for_user(*, user: User, pk: int) -> Rating:
    """One rating with its run and firm: for the bureau and the association any, for a firm
    user its own firm's only; Http404 otherwise."""
    queryset = Rating.objects.select_related("run__rule_set", "firm")
    if can_read_ratings(user):
        pass
    elif is_signed_in(user) and user.role == Role.FIRM:
        queryset = queryset.filter(firm_id=user.firm_id)
    else:
        queryset = queryset.none()
    try:
        return queryset.get(pk=pk)
    except Rating.DoesNotExist:
        raise Http404(_("No such rating.")) from None


def rating_breakdown_for_display(rating: Rating) -> dict:
    """The rating's stored breakdown with what the "why this grade" page shows recomputed
    (`rating.expand_breakdown`): two queries, the breakdown and the compounds' codes and
    names."""
    breakdown = (
        RatingBreakdown.objects.filter(rating=rating).values_list("document", flat=True).first()
        or {}
    )
    ids = {
        entry[0]
        for indicator in breakdown.get("indicators", [])
        for entry in indicator.get("compounds", [])
        if isinstance(entry, list)
    }
    compounds = {}
    if ids:
        compounds = {
            pk: (code, name)
            for pk, code, name in Compound.objects.filter(pk__in=ids).values_list(
                "pk", "code", "name"
            )
        }
    return rating_rules.expand_breakdown(breakdown, compounds)


def latest_finished_run(*, year: int) -> RatingRun | None:
    return (
        RatingRun.objects.filter(year=year, status=RunStatus.FINISHED)
        .select_related("rule_set")
        .order_by("-finished_at", "-pk")
        .first()
    )


@dataclass
class RunSummary:
    rated: int
    not_rated: int
    grades: dict[str, int]
    vetoed: int


def run_summary(run: RatingRun) -> RunSummary:
    """Counts of a run's ratings by grade, in one query."""
    rows = (
        Rating.objects.filter(run=run).values("grade", "vetoed").annotate(n=Count("id")).order_by()
    )
    grades = {"A": 0, "B": 0, "C": 0, "D": 0}
    not_rated = vetoed = 0
    for row in rows:
        if row["grade"]:
            grades[row["grade"]] += row["n"]
        else:
            not_rated += row["n"]
        if row["vetoed"]:
            vetoed += row["n"]
    return RunSummary(rated=sum(grades.values()), not_rated=not_rated, grades=grades, vetoed=vetoed)


EXPORT_COLUMNS = ("year", "credit_code", "name", "score", "grade", "indicators_present", "vetoed")


def export_rows(run: RatingRun) -> Iterator[list[str]]:
    """The ratings export of interchange.md: ranked, then the firms not rated."""
    queryset = ratings_of_run(run).values_list(
        "firm__credit_code", "firm__name", "score", "grade", "indicators_present", "vetoed"
    )
    for credit_code, name, score, grade, present, vetoed in queryset.iterator(chunk_size=2000):
        yield [
            str(run.year),
            credit_code,
            name,
            "" if score is None else f"{score:.2f}",
            grade or "",
            str(present),
            "1" if vetoed else "0",
        ]


# --- assessment entry: the grid, the window, the progress page, credit events ----------------

ASSESSOR_ROLES = {
    Role.BUREAU,
    Role.ASSOCIATION,
    Role.STREET,
    Role.COMMUNITY,
    Role.OWNERS_COMMITTEE,
}
# Who reads the scores of every assessor role on a compound's history page; the others see
# their own role's scores only.
ALL_ROLES_HISTORY_READERS = CITY_WIDE_READERS


def can_assess(user: User) -> bool:
    return is_signed_in(user) and user.role in ASSESSOR_ROLES


def assessment_windows() -> QuerySet[AssessmentWindow]:
    return AssessmentWindow.objects.select_related("opened_by", "closed_by").order_by("-year")


def assessment_window_of(*, year: int) -> AssessmentWindow | None:
    return assessment_windows().filter(year=year).first()


def assessable_compounds(*, user: User) -> QuerySet[Compound]:
    """The compounds with a managing firm that the user may score, with area and firm loaded,
    in the grid's order (street, community, code)."""
    if not can_assess(user):
        return Compound.objects.none()
    return (
        Compound.objects.filter(compound_filter(user), firm__isnull=False)
        .select_related("community__street", "firm")
        .order_by("community__street__name", "community__name", "code")
    )


def assessable_compound_get(*, user: User, pk: int) -> Compound:
    try:
        return assessable_compounds(user=user).get(pk=pk)
    except Compound.DoesNotExist:
        raise Http404(_("No such compound.")) from None


def grid_indicators(*, user: User) -> list[Indicator]:
    """The indicators the user scores: all six, or `satisfaction` for an owners' committee."""
    from .services import OWNERS_COMMITTEE_INDICATORS

    queryset = indicators()
    if user.role == Role.OWNERS_COMMITTEE:
        queryset = queryset.filter(code__in=OWNERS_COMMITTEE_INDICATORS)
    return list(queryset)


def grid_communities(*, user: User) -> QuerySet[Community]:
    """The communities the grid's filter offers (those of the user's area)."""
    return Community.objects.filter(community_filter(user)).select_related("street")


def grid_streets(*, user: User) -> QuerySet[Street]:
    return Street.objects.filter(street_filter(user))


def grid_scores(*, year: int, role: str, compounds: Sequence[Compound]) -> dict[tuple, Decimal]:
    """The role's saved scores of the compounds' current firms, by (compound id, indicator
    id), in one query."""
    firm_of = {compound.pk: compound.firm_id for compound in compounds}
    rows = Assessment.objects.filter(
        year=year, assessor_role=role, compound_id__in=list(firm_of)
    ).values_list("compound_id", "firm_id", "indicator_id", "score")
    return {
        (compound_id, indicator_id): score
        for compound_id, firm_id, indicator_id, score in rows
        if firm_of.get(compound_id) == firm_id
    }


def assessment_history(*, user: User, compound: Compound, year: int) -> QuerySet:
    """Every saved version of the compound's scores of the year, newest first: all roles for
    the city-wide readers, the user's own role for the others."""
    from .services import assessor_role_for

    queryset = Assessment.history.filter(compound_id=compound.pk, year=year)
    if user.role not in ALL_ROLES_HISTORY_READERS:
        queryset = queryset.filter(assessor_role=assessor_role_for(user))
    return queryset.select_related("history_user", "indicator", "firm").order_by(
        "-history_date", "-history_id"
    )


def _compounds_with_assessed_flags(*, year: int) -> QuerySet[Compound]:
    """The assessable compounds (with a firm), each flagged whether a street and a community
    officer scored it in `year` (any indicator, any firm)."""
    of_year = Assessment.objects.filter(year=year, compound_id=OuterRef("pk"))
    return Compound.objects.filter(firm__isnull=False).annotate(
        by_street=Exists(of_year.filter(assessor_role=AssessorRole.STREET)),
        by_community=Exists(of_year.filter(assessor_role=AssessorRole.COMMUNITY)),
    )


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


def assessment_progress(*, year: int) -> tuple[list[AreaProgress], list[AreaProgress]]:
    """Per street (street officers' scores) and per community (community officers' scores):
    compounds assessed out of compounds to assess. Four queries, whatever the city's size."""
    flagged = _compounds_with_assessed_flags(year=year)
    by_street = {
        row["community__street_id"]: row
        for row in flagged.values("community__street_id")
        .annotate(total=Count("pk"), assessed=Count("pk", filter=Q(by_street=True)))
        .order_by()
    }
    by_community = {
        row["community_id"]: row
        for row in flagged.values("community_id")
        .annotate(total=Count("pk"), assessed=Count("pk", filter=Q(by_community=True)))
        .order_by()
    }
    streets = [
        AreaProgress(
            pk=street.pk,
            name=street.name,
            parent=street.district.name,
            parent_id=street.district_id,
            total=by_street.get(street.pk, {}).get("total", 0),
            assessed=by_street.get(street.pk, {}).get("assessed", 0),
        )
        for street in Street.objects.select_related("district").order_by("district__name", "name")
    ]
    communities = [
        AreaProgress(
            pk=community.pk,
            name=community.name,
            parent=community.street.name,
            parent_id=community.street_id,
            total=by_community.get(community.pk, {}).get("total", 0),
            assessed=by_community.get(community.pk, {}).get("assessed", 0),
        )
        for community in Community.objects.select_related("street").order_by("street__name", "name")
    ]
    return streets, communities


def compounds_missing_assessment(
    *, year: int, street_id: int | None = None, community_id: int | None = None
) -> QuerySet[Compound]:
    """The compounds that a street or a community officer has not scored yet in `year`."""
    queryset = _compounds_with_assessed_flags(year=year).filter(
        Q(by_street=False) | Q(by_community=False)
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
    flag, area = (
        ("by_street", "community__street_id")
        if level == AssessorRole.STREET
        else ("by_community", "community_id")
    )
    rows = (
        _compounds_with_assessed_flags(year=year)
        .filter(**{flag: False})
        .values(area)
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row[area]: row["n"] for row in rows}


def credit_events_list(
    *, year: int | None = None, firm_q: str = "", kind: str = ""
) -> QuerySet[CreditEvent]:
    queryset = CreditEvent.objects.select_related("firm", "created_by")
    if year:
        queryset = queryset.filter(year=year)
    if firm_q:
        queryset = queryset.filter(Q(firm__name__icontains=firm_q) | Q(firm__credit_code=firm_q))
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset.order_by("-year", "-date", "-pk")


def credit_event_get(*, user: User, pk: int) -> CreditEvent:
    if not can_read_ratings(user):
        raise Http404(_("No such credit event."))
    try:
        return CreditEvent.objects.select_related("firm").get(pk=pk)
    except CreditEvent.DoesNotExist:
        raise Http404(_("No such credit event.")) from None


# --- publication, objections, versions, notices (public and portal) --------------------------
# Imported here rather than at the top so this section stays separate from the rest.
import json  # noqa: E402

from .models import (  # noqa: E402
    CreditNotice,
    NoticeKind,
    Objection,
    ObjectionAttachment,
    ObjectionStatus,
    Publication,
    PublicationVersion,
)


def can_see_publications(user: User) -> bool:
    """The bureau and the association see the whole notice; a firm sees it for its own rating."""
    return is_signed_in(user) and user.role in {Role.BUREAU, Role.ASSOCIATION, Role.FIRM}


def publications_for_user(*, user: User) -> QuerySet[Publication]:
    if not can_see_publications(user):
        return Publication.objects.none()
    return Publication.objects.select_related("run").order_by("-year")


def publication_get_for_user(*, user: User, pk: int) -> Publication:
    try:
        return publications_for_user(user=user).select_related("run__rule_set").get(pk=pk)
    except Publication.DoesNotExist:
        raise Http404(_("No such publication.")) from None


def publication_proposed_lists(publication: Publication) -> tuple[list[Rating], list[Rating]]:
    """The proposed red (A) and black (D) lists of the publication's run, each rating marked
    `objection_pending` and with its firm's managed compounds counted: for bureau staff."""
    pending = Objection.objects.filter(
        publication=publication, firm_id=OuterRef("firm_id"), status=ObjectionStatus.PENDING
    )
    ratings = (
        Rating.objects.filter(run_id=publication.run_id, grade__in=["A", "D"])
        .select_related("firm")
        .annotate(objection_pending=Exists(pending), compounds=Count("firm__compounds"))
        .order_by(F("rank").asc(nulls_last=True), "firm__credit_code")
    )
    red, black = [], []
    for rating in ratings:
        (red if rating.grade == "A" else black).append(rating)
    return red, black


def publication_objections(publication: Publication) -> QuerySet[Objection]:
    return (
        Objection.objects.filter(publication=publication)
        .select_related("firm", "rating", "filed_by", "answered_by")
        .prefetch_related("attachments")
        .order_by("-status", "filed_at", "pk")
    )


def publication_versions(publication: Publication) -> QuerySet[PublicationVersion]:
    return (
        PublicationVersion.objects.filter(publication=publication)
        .select_related("published_by", "run")
        .defer("content")
        .order_by("-number")
    )


def own_rating_in_publication(*, user: User, publication: Publication) -> Rating | None:
    """A firm user's own rating in the publication's run (None for anyone else)."""
    if not (is_signed_in(user) and user.role == Role.FIRM):
        return None
    return (
        Rating.objects.filter(run_id=publication.run_id, firm_id=user.firm_id)
        .select_related("firm")
        .first()
    )


def objection_rating_get(*, user: User, publication: Publication, rating_pk: int) -> Rating:
    """The rating a firm user may object to: its own firm's, in the run under publicity;
    Http404 for any other (another firm's rating does not exist for it)."""
    if not (is_signed_in(user) and user.role == Role.FIRM):
        raise Http404(_("No such rating."))
    try:
        return Rating.objects.select_related("firm").get(
            pk=rating_pk, run_id=publication.run_id, firm_id=user.firm_id
        )
    except Rating.DoesNotExist:
        raise Http404(_("No such rating.")) from None


def objections_for_user(*, user: User) -> QuerySet[Objection]:
    queryset = Objection.objects.select_related("publication", "firm", "rating")
    if can_read_ratings(user):
        return queryset
    if is_signed_in(user) and user.role == Role.FIRM:
        return queryset.filter(firm_id=user.firm_id)
    return queryset.none()


def objection_get_for_user(*, user: User, pk: int) -> Objection:
    try:
        return (
            objections_for_user(user=user)
            .select_related("filed_by", "answered_by")
            .prefetch_related("attachments")
            .get(pk=pk)
        )
    except Objection.DoesNotExist:
        raise Http404(_("No such objection.")) from None


def objection_attachment_get_for_user(*, user: User, pk: int) -> ObjectionAttachment:
    try:
        return ObjectionAttachment.objects.get(
            pk=pk, objection__in=objections_for_user(user=user).values("pk")
        )
    except ObjectionAttachment.DoesNotExist:
        raise Http404(_("No such file.")) from None


# Public: published versions only. Nothing of a run under publicity is ever read here.


# The list of published versions is all a warm public page reads from the database: it is
# cached for a few seconds. Publishing forgets it at once in the cache it shares with the
# publishing process; a per-process cache (LocMem, one per gunicorn worker) elsewhere shows a
# new version within these seconds.
PUBLISHED_VERSIONS_KEY = "credit:published_versions"
PUBLISHED_VERSIONS_SECONDS = 5


def published_versions() -> list[PublicationVersion]:
    """Every published version of every year, newest first, without their content: one
    small query (a handful of rows a year), cached for PUBLISHED_VERSIONS_SECONDS."""
    versions = cache.get(PUBLISHED_VERSIONS_KEY)
    if versions is None:
        versions = _published_versions_query()
        cache.set(PUBLISHED_VERSIONS_KEY, versions, PUBLISHED_VERSIONS_SECONDS)
    return versions


def published_versions_forget() -> None:
    cache.delete(PUBLISHED_VERSIONS_KEY)


def _published_versions_query() -> list[PublicationVersion]:
    return list(
        PublicationVersion.objects.select_related("publication")
        .only(
            "pk",
            "number",
            "published_at",
            "change_note",
            "digest",
            "publication__year",
            "publication_id",
        )
        .order_by("-publication__year", "-number")
    )


def version_content_text(*, pk: int) -> str:
    return PublicationVersion.objects.values_list("content", flat=True).get(pk=pk)


def version_content(*, pk: int) -> dict:
    """The frozen lists of a published version, parsed."""
    return json.loads(version_content_text(pk=pk))


def public_grade_history(*, firm_id: int) -> list[dict]:
    """A firm's grades in the published versions only: for each year, the latest version's
    grade (and the version it comes from). One query."""
    rows = (
        Rating.objects.filter(firm_id=firm_id, run__publication_versions__isnull=False)
        .values(
            "grade",
            "score",
            "rank",
            "vetoed",
            year=F("run__publication_versions__publication__year"),
            number=F("run__publication_versions__number"),
            published_at=F("run__publication_versions__published_at"),
        )
        .order_by("-year", "-number")
    )
    latest = {}
    for row in rows:
        latest.setdefault(row["year"], row)
    return list(latest.values())


def notices_for_user(*, user: User) -> QuerySet[CreditNotice]:
    queryset = CreditNotice.objects.select_related("firm", "publication", "version").order_by(
        "-publication__year", "kind", "firm__credit_code"
    )
    if can_read_ratings(user):
        return queryset
    if is_signed_in(user) and user.role == Role.FIRM:
        return queryset.filter(firm_id=user.firm_id)
    return queryset.none()


def notice_get_for_user(*, user: User, pk: int) -> CreditNotice:
    try:
        return (
            notices_for_user(user=user)
            .select_related("issued_by", "responded_by", "closed_by")
            .get(pk=pk)
        )
    except CreditNotice.DoesNotExist:
        raise Http404(_("No such notice.")) from None


def spot_check_firms() -> QuerySet[CreditNotice]:
    """Firms to spot-check more often: the black-list firms of each year's latest
    publication (their rectification notices)."""
    return (
        CreditNotice.objects.filter(kind=NoticeKind.RECTIFICATION, extra_spot_checks=True)
        .select_related("firm", "publication")
        .annotate(compounds=Count("firm__compounds"))
        .order_by("-publication__year", "firm__credit_code")
    )
