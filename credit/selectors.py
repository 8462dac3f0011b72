"""Reads of the credit app: who may see which rule set, run and rating."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    When,
)
from django.http import Http404
from django.utils.translation import gettext as _

from companies.models import Compound, Firm
from portal import pagecache
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
from .choices import EventKind, Grade, RunStatus
from .models import (
    OPEN_NOTICE_STATUSES,
    Assessment,
    AssessmentWindow,
    CreditEvent,
    CreditNotice,
    Indicator,
    NoticeKind,
    NoticeStatus,
    Objection,
    ObjectionAttachment,
    ObjectionStatus,
    Publication,
    PublicationStatus,
    PublicationVersion,
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


def ratings_for_user(*, user: User) -> QuerySet[Rating]:
    """The ratings a user may read: the bureau and the association any; a firm user its own
    firm's, once the bureau has shown them (a run under publicity or published, or a rating
    the firm objected to); nobody else any."""
    if can_read_ratings(user):
        return Rating.objects.all()
    if not (is_signed_in(user) and user.role == Role.FIRM):
        return Rating.objects.none()
    shown = (
        Exists(Publication.objects.filter(run_id=OuterRef("run_id")))
        | Exists(PublicationVersion.objects.filter(run_id=OuterRef("run_id")))
        | Exists(Objection.objects.filter(rating_id=OuterRef("pk")))
    )
    return Rating.objects.filter(shown, firm_id=user.firm_id)


def rating_get_for_user(*, user: User, pk: int) -> Rating:
    """One rating with its run and firm, if `ratings_for_user` holds it; Http404 otherwise."""
    queryset = ratings_for_user(user=user).select_related("run__rule_set", "firm")
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


def credit_events_of_rating(rating: Rating) -> list[CreditEvent]:
    """The credit events of the rating's firm and year: the vetoes first (they decide the
    grade), then by date."""
    return list(
        CreditEvent.objects.filter(firm_id=rating.firm_id, year=rating.run.year)
        .annotate(is_veto=Case(When(kind=EventKind.VETO, then=0), default=1))
        .order_by("is_veto", "date", "pk")
    )


def events_changed_since(rating: Rating, events: Sequence[CreditEvent]) -> bool:
    """Whether the firm's events of the year, as read now, add up to other totals than the
    rating's: an event was recorded, changed or deleted after the run."""
    points = {EventKind.BONUS: Decimal(0), EventKind.DEDUCTION: Decimal(0)}
    for event in events:
        if event.kind in points:
            points[event.kind] += event.points
    vetoed = any(event.kind == EventKind.VETO for event in events)
    return (points[EventKind.BONUS], points[EventKind.DEDUCTION], vetoed) != (
        rating.bonus_raw,
        rating.deductions,
        rating.vetoed,
    )


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


# Who sees the assessment progress: the city-wide readers the city's, the officers their area's.
PROGRESS_READERS = CITY_WIDE_READERS | {Role.STREET, Role.COMMUNITY}


def can_see_progress(user: User) -> bool:
    return is_signed_in(user) and user.role in PROGRESS_READERS


def credit_events_list(
    *, year: int | None = None, firm_q: str = "", kind: str = ""
) -> QuerySet[CreditEvent]:
    queryset = CreditEvent.objects.select_related(
        "firm", "created_by", "declaration", "rectification_notice"
    )
    if year:
        queryset = queryset.filter(year=year)
    if firm_q:
        queryset = queryset.filter(Q(firm__name__icontains=firm_q) | Q(firm__credit_code=firm_q))
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset.order_by("-year", "-date", "-pk")


def credit_events_for_user(*, user: User) -> QuerySet[CreditEvent]:
    """The events and their evidence: read by the bureau and the association only."""
    if not can_read_ratings(user):
        return CreditEvent.objects.none()
    return CreditEvent.objects.all()


def credit_event_get(*, user: User, pk: int) -> CreditEvent:
    try:
        return credit_events_for_user(user=user).select_related("firm").get(pk=pk)
    except CreditEvent.DoesNotExist:
        raise Http404(_("No such credit event.")) from None


# --- publication, objections, versions, notices (public and portal) --------------------------


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


def objection_attachments_for_user(*, user: User) -> QuerySet[ObjectionAttachment]:
    """The files of the objections the user may read."""
    return ObjectionAttachment.objects.filter(
        objection__in=objections_for_user(user=user).values("pk")
    )


# Public: published versions only. Nothing of a run under publicity is ever read here.


# The list of published versions is all a warm public page reads from the database: it is
# kept in the shared cache until the next publication, correction or repair, which forget it
# (and the public pages kept with it) in every process at once: portal/pagecache.py.
PUBLISHED_VERSIONS_KEY = "credit:published_versions"


def published_versions() -> list[PublicationVersion]:
    """Every published version of every year, newest first, without their content: one
    small query (a handful of rows a year), kept until the next publication."""
    return pagecache.remember(PUBLISHED_VERSIONS_KEY, _published_versions_query)


def public_pages_changed() -> None:
    """What the public pages show changed (a version published, a repair approved, a year's
    publicity opened or its objections): forget the versions and every kept public page, in
    every process sharing the cache, now and again when the transaction commits."""
    pagecache.invalidate_on_commit()


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
            "pk",
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
    # A street officer re-inspects the notices the bureau delegated to the street.
    if is_signed_in(user) and user.role == Role.STREET and user.street_id:
        return queryset.filter(delegated_street_id=user.street_id)
    return queryset.none()


# The notice list's filters beside the statuses: still waiting, and waiting past the deadline.
OPEN_NOTICES, LATE_NOTICES = "open", "late"


def notices_in_state(
    queryset: QuerySet[CreditNotice], *, state: str, today: dt.date
) -> QuerySet[CreditNotice]:
    """The notices of `queryset` in a state: OPEN_NOTICES (rectification notices waiting for
    the firm's answer or the bureau's verdict; a commendation waits for nothing), LATE_NOTICES
    (those of them past their deadline) or a NoticeStatus; all of them for "". Each is marked
    `past_deadline`."""
    waiting = Q(kind=NoticeKind.RECTIFICATION, status__in=OPEN_NOTICE_STATUSES)
    # Late: still waiting for the firm (issued or sent back) past the deadline; an answer
    # waiting for its re-inspection is not the firm's delay.
    late = Q(
        kind=NoticeKind.RECTIFICATION,
        status__in=[NoticeStatus.ISSUED, NoticeStatus.SENT_BACK],
        deadline__lt=today,
    )
    queryset = queryset.annotate(past_deadline=ExpressionWrapper(late, output_field=BooleanField()))
    if state == OPEN_NOTICES:
        return queryset.filter(waiting)
    if state == LATE_NOTICES:
        return queryset.filter(late)
    if state in NoticeStatus.values:
        return queryset.filter(status=state)
    return queryset


def notice_get_for_user(*, user: User, pk: int) -> CreditNotice:
    try:
        return (
            notices_for_user(user=user)
            .select_related(
                "issued_by", "responded_by", "closed_by", "delegated_street", "deduction_event"
            )
            .get(pk=pk)
        )
    except CreditNotice.DoesNotExist:
        raise Http404(_("No such notice.")) from None


def notice_history(notice: CreditNotice) -> QuerySet:
    """The notice's recorded changes (the firm's earlier answers among them), newest first."""
    return notice.history.select_related("history_user").order_by("-history_date", "-history_id")


def spot_check_firms() -> QuerySet[CreditNotice]:
    """Firms to spot-check more often: the black-list firms of each year's latest
    publication (their rectification notices)."""
    return (
        CreditNotice.objects.filter(kind=NoticeKind.RECTIFICATION, extra_spot_checks=True)
        .select_related("firm", "publication")
        .annotate(compounds=Count("firm__compounds"))
        .order_by("-publication__year", "firm__credit_code")
    )


# --- what waits for whom: the landing page's cards and to-do items (credit/hooks.py) ---------


def latest_rated_run() -> RatingRun | None:
    """The latest finished run of the latest year that has one: that year's grades."""
    return (
        RatingRun.objects.filter(status=RunStatus.FINISHED)
        .order_by("-year", "-finished_at", "-pk")
        .first()
    )


def publications_in_publicity() -> list[Publication]:
    """The publications not yet published (in their publicity period or past it), oldest
    first, each with `pending`: its objections awaiting the bureau's answer. One query."""
    return list(
        Publication.objects.filter(status=PublicationStatus.PUBLICITY)
        .annotate(pending=Count("objections", filter=Q(objections__status=ObjectionStatus.PENDING)))
        .order_by("period_start")
    )


def rectification_figures(*, today: dt.date) -> dict:
    """The open rectification notices: `late`, those past their deadline (the earliest of
    which is `first_late`), and `answered`, the answers awaiting the bureau's verdict."""
    late = Q(deadline__lt=today) & ~Q(status=NoticeStatus.ANSWERED)
    return CreditNotice.objects.filter(
        kind=NoticeKind.RECTIFICATION, status__in=OPEN_NOTICE_STATUSES
    ).aggregate(
        late=Count("pk", filter=late),
        first_late=Min("deadline", filter=late),
        answered=Count("pk", filter=Q(status=NoticeStatus.ANSWERED)),
    )


def failed_runs() -> list[RatingRun]:
    """The failed runs that no later run of their year has followed, newest first."""
    later = RatingRun.objects.filter(year=OuterRef("year"), pk__gt=OuterRef("pk"))
    return list(
        RatingRun.objects.filter(status=RunStatus.FAILED).exclude(Exists(later)).order_by("-pk")
    )


def firms_without_notice() -> dict[int, int]:
    """Publication id -> the firms on its latest published lists that have no notice of their
    grade yet (the notices are issued after publishing). One query."""
    newer = PublicationVersion.objects.filter(
        publication_id=OuterRef("publication_id"), number__gt=OuterRef("number")
    )
    latest_runs = PublicationVersion.objects.exclude(Exists(newer)).values("run_id")
    noticed = CreditNotice.objects.filter(
        publication__year=OuterRef("run__year"),
        firm_id=OuterRef("firm_id"),
        grade=OuterRef("grade"),
    )
    rows = (
        Rating.objects.filter(grade__in=[Grade.A, Grade.D], run_id__in=latest_runs)
        .exclude(Exists(noticed))
        .values(publication=F("run__publication_versions__publication_id"))
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    return {row["publication"]: row["n"] for row in rows}


def compounds_to_assess(*, user: User) -> dict[int, int]:
    """Year of each open window -> the compounds of the user's area that the user's assessor
    role has not scored yet that year (credit.progress, from the counts kept per community)."""
    from .progress import compounds_to_assess as missing_of
    from .services import assessor_role_for

    role = assessor_role_for(user) if can_assess(user) else None
    if role is None:
        return {}
    years = list(AssessmentWindow.objects.filter(is_open=True).values_list("year", flat=True))
    if not years:
        return {}
    return missing_of(user=user, role=role, years=sorted(years))


def objections_open_to_firm(*, user: User, now: dt.datetime) -> list[Publication]:
    """The publications in their publicity period that propose the user's firm for the red or
    the black list and to which it has not objected yet (it may until the period ends)."""
    if not (is_signed_in(user) and user.role == Role.FIRM):
        return []
    proposed = Publication.objects.filter(
        status=PublicationStatus.PUBLICITY,
        run__ratings__firm_id=user.firm_id,
        run__ratings__grade__in=[Grade.A, Grade.D],
    ).exclude(objections__firm_id=user.firm_id)
    return [p for p in proposed.order_by("period_start") if p.period_start <= now < p.period_end]


def notices_to_answer(*, user: User) -> list[CreditNotice]:
    """The firm's rectification notices it has not answered yet, the nearest deadline first."""
    return list(
        notices_for_user(user=user)
        .filter(kind=NoticeKind.RECTIFICATION, status=NoticeStatus.ISSUED)
        .order_by("deadline", "pk")
    )


def latest_published_rating(*, firm_id: int) -> dict | None:
    """The firm's grade in the latest published version that lists it (see
    `public_grade_history`), or None."""
    history = public_grade_history(firm_id=firm_id)
    return history[0] if history else None


def indicator_scores(*, rating_id: int) -> list[tuple[str, Decimal]]:
    """The firm indicator scores S(i) of a rating, rounded half up to 2 decimals, with the
    indicators' names, in the order of the rule set. Two queries."""
    document = (
        RatingBreakdown.objects.filter(rating_id=rating_id)
        .values_list("document", flat=True)
        .first()
        or {}
    )
    names = dict(indicators().values_list("code", "name"))
    return [
        (names.get(row["code"], row["code"]), rating_rules.round_half_up(Fraction(row["S"]), 2))
        for row in document.get("indicators", [])
    ]
