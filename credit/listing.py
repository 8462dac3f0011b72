"""Why and until when a firm is on a red or black list: the reads of the public lists (the
proposed lists of a year in publicity, the published versions, the vetoes that outlast their
year) and of a firm's listing history on its public page.

A listing is read, never stored: the published versions stay as they were frozen (their
content is hashed), and the dates come from the versions, the rule sets and the approved
credit repairs:

- a red listing lasts until the next year's list is published;
- a black listing too, unless the firm's credit is repaired (信用修复): it then ends on the
  day the repair was approved;
- a black listing by a veto (一票否决) lasts until the list of `veto_listing_years` years later
  is published (a rule set parameter; 1 = the next year's, as any black listing), so that a
  later year's public page shows the firm as still listed;
- a listing a later version of the year corrects away ends on that version's day.

Each function reads in a bounded number of queries, whatever the number of firms."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, F, Max, OuterRef, Q
from django.utils import timezone

from . import selectors
from .choices import EventKind, Grade
from .models import (
    CreditEvent,
    Objection,
    ObjectionStatus,
    Publication,
    PublicationStatus,
    PublicationVersion,
    Rating,
    RepairApplication,
    RepairStatus,
)
from .models.rules import VETO_LISTING_YEARS_MAX

RED, BLACK = "red", "black"
LIST_KEYS = {RED: "red_list", BLACK: "black_list"}

# How a listing ended.
ENDED_BY_REPAIR = "repair"
ENDED_BY_CORRECTION = "correction"
ENDED_BY_NEXT_LIST = "next_list"


@dataclass
class Deciding:
    """A veto or deduction event of the listed year: a reason the firm is where it is."""

    kind: str
    points: Decimal
    reason: str
    date: dt.date

    @property
    def is_veto(self) -> bool:
        return self.kind == EventKind.VETO

    @property
    def kind_label(self) -> str:
        return EventKind(self.kind).label


@dataclass
class Listing:
    """A firm on a year's red or black list: why (grade, score, the deciding events) and from
    when until when."""

    year: int
    color: str
    credit_code: str
    name: str
    grade: str
    score: Decimal | None
    vetoed: bool
    rank: int | None = None
    compounds: int | None = None
    base: Decimal | None = None
    bonus: Decimal | None = None
    deductions: Decimal | None = None
    events: list[Deciding] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)  # the versions of the year listing it
    listed_on: dt.date | None = None  # None while proposed
    ends_on: dt.date | None = None
    until_year: int | None = None  # ends with the publication of this year's list
    ended_by: str = ""
    repaired_on: dt.date | None = None
    objection_pending: bool = False
    proposed: bool = False
    carried: bool = False  # a veto listing of an earlier year, shown on a later year's page

    @property
    def is_black(self) -> bool:
        return self.color == BLACK

    @property
    def repaired(self) -> bool:
        return self.ended_by == ENDED_BY_REPAIR

    @property
    def vetoes(self) -> list[Deciding]:
        return [e for e in self.events if e.is_veto]

    @property
    def deduction_events(self) -> list[Deciding]:
        return [e for e in self.events if not e.is_veto]

    @property
    def events_changed(self) -> bool:
        """Whether the events as recorded now add up to another veto or other deductions than
        the rating counted: one was recorded, changed or deleted after the run (the rating's
        figures stand; the events are shown as recorded now)."""
        if self.deductions is None:
            return False
        counted = sum((event.points for event in self.deduction_events), Decimal(0))
        return counted != self.deductions or bool(self.vetoes) != self.vetoed

    def is_current(self, today: dt.date) -> bool:
        return self.ends_on is None or self.ends_on > today


@dataclass
class PublishedLists:
    """The lists of one published version, each firm with why and until when, and the black
    listings by a veto of earlier years that still run."""

    year: int
    number: int
    red: list[Listing]
    black: list[Listing]
    carried: list[Listing]


@dataclass
class Proposal:
    """A year's lists in publicity (公示): proposed, not final."""

    publication: Publication
    red: list[Listing]
    black: list[Listing]

    @property
    def period_end(self) -> dt.datetime:
        return self.publication.period_end

    @property
    def period_over(self) -> bool:
        return timezone.now() >= self.publication.period_end


# --- shared pieces ---------------------------------------------------------------------------


def _local_date(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def first_published(versions: Iterable[PublicationVersion]) -> dict[int, dt.date]:
    """The day each year's list was first published (its version 1), by year."""
    days: dict[int, dt.date] = {}
    for version in versions:
        year = version.publication.year
        day = _local_date(version.published_at)
        if year not in days or day < days[year]:
            days[year] = day
    return days


def _set_end(
    listing: Listing, *, veto_years: int, published: dict[int, dt.date], repaired_on=None
) -> None:
    """The end of a listing by the rules: a repair ends a black listing on its day; otherwise
    the publication of the next year's list (of `veto_years` later for a veto) ends it, or
    will: then `until_year` names that year."""
    if listing.is_black and repaired_on is not None:
        listing.ends_on, listing.ended_by, listing.repaired_on = (
            repaired_on,
            ENDED_BY_REPAIR,
            repaired_on,
        )
        return
    years = max(veto_years or 1, 1) if listing.is_black and listing.vetoed else 1
    until = listing.year + years
    if until in published:
        listing.ends_on, listing.ended_by = published[until], ENDED_BY_NEXT_LIST
    else:
        listing.until_year = until


def _or(conditions: list[Q]) -> Q | None:
    combined = None
    for condition in conditions:
        combined = condition if combined is None else combined | condition
    return combined


def _attach_ratings(listings: list[Listing], run_of: dict[int, int]) -> None:
    """Base, bonus counted and deductions from the ratings of each listing's run (`run_of`:
    year → run id). One query."""
    wanted: dict[int, set[str]] = defaultdict(set)
    for listing in listings:
        wanted[run_of[listing.year]].add(listing.credit_code)
    condition = _or([Q(run_id=run, firm__credit_code__in=codes) for run, codes in wanted.items()])
    if condition is None:
        return
    rows = Rating.objects.filter(condition).values_list(
        "run_id", "firm__credit_code", "base", "bonus_capped", "deductions"
    )
    found = {(run, code): (base, bonus, ded) for run, code, base, bonus, ded in rows}
    for listing in listings:
        values = found.get((run_of[listing.year], listing.credit_code))
        if values:
            listing.base, listing.bonus, listing.deductions = values


def _attach_events(listings: list[Listing]) -> None:
    """The vetoes and deductions of each listing's firm and year, vetoes first, then the
    heaviest deductions. One query."""
    wanted: dict[int, set[str]] = defaultdict(set)
    for listing in listings:
        wanted[listing.year].add(listing.credit_code)
    condition = _or([Q(year=year, firm__credit_code__in=codes) for year, codes in wanted.items()])
    if condition is None:
        return
    rows = (
        CreditEvent.objects.filter(condition, kind__in=[EventKind.VETO, EventKind.DEDUCTION])
        .order_by("-kind", "-points", "date", "pk")  # "veto" sorts after "deduction"
        .values_list("year", "firm__credit_code", "kind", "points", "reason", "date")
    )
    events: dict[tuple[int, str], list[Deciding]] = defaultdict(list)
    for year, code, kind, points, reason, date in rows:
        events[(year, code)].append(Deciding(kind, points, reason, date))
    for listing in listings:
        listing.events = events.get((listing.year, listing.credit_code), [])


def approved_repairs(*, years: Iterable[int]) -> dict[tuple[int, str], tuple[dt.date, int | None]]:
    """The approved credit repairs of the years' lists: (year, credit code) → (the day it
    was approved, the number of the version that left the firm out). One query."""
    years = set(years)
    if not years:
        return {}
    rows = RepairApplication.objects.filter(
        status=RepairStatus.APPROVED, publication__year__in=years
    ).values_list(
        "publication__year", "firm__credit_code", "decided_at", "published_version__number"
    )
    return {
        (year, code): (_local_date(decided), number)
        for year, code, decided, number in rows
        if decided is not None
    }


def _decimal(text: str | None) -> Decimal | None:
    return None if text in (None, "") else Decimal(text)


# --- the published lists ---------------------------------------------------------------------


def published_lists(*, version: PublicationVersion) -> PublishedLists:
    """The lists of a published version with why and until when each firm is listed, and the
    veto listings of earlier years still running in that year. Five queries: the versions of
    the year and of the earlier years a veto may reach, ratings, events, repairs."""
    year = version.publication.year
    versions = selectors.published_versions()
    published = first_published(versions)
    rows = (
        PublicationVersion.objects.filter(
            publication__year__gte=year - VETO_LISTING_YEARS_MAX, publication__year__lte=year
        )
        .order_by("publication__year", "number")
        .values(
            "pk",
            "number",
            "published_at",
            "content",
            "run_id",
            year=F("publication__year"),
            veto_years=F("run__rule_set__veto_listing_years"),
        )
    )
    by_year: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        row["data"] = json.loads(row.pop("content"))
        by_year[row["year"]].append(row)
    repairs = approved_repairs(years=by_year)
    of_year = by_year[year]
    index = next(i for i, row in enumerate(of_year) if row["pk"] == version.pk)
    shown = of_year[index]
    lists = {
        color: _version_listings(of_year, index, color, repairs=repairs, published=published)
        for color in (RED, BLACK)
    }
    black_codes = {listing.credit_code for listing in lists[BLACK]}
    carried = []
    for earlier in sorted((y for y in by_year if y < year), reverse=True):
        last = len(by_year[earlier]) - 1
        latest = by_year[earlier][last]
        if earlier + (latest["veto_years"] or 1) <= year:
            continue
        for listing in _version_listings(
            by_year[earlier], last, BLACK, repairs=repairs, published=published
        ):
            if listing.vetoed and listing.credit_code not in black_codes:
                listing.carried = True
                black_codes.add(listing.credit_code)
                carried.append(listing)
    everything = lists[RED] + lists[BLACK] + carried
    run_of = {y: rows_[-1]["run_id"] for y, rows_ in by_year.items()}
    run_of[year] = shown["run_id"]
    _attach_ratings(everything, run_of)
    _attach_events(everything)
    return PublishedLists(
        year=year, number=shown["number"], red=lists[RED], black=lists[BLACK], carried=carried
    )


def _codes(row: dict, color: str) -> set[str]:
    return {entry["credit_code"] for entry in row["data"][LIST_KEYS[color]]}


def _version_listings(
    of_year: list[dict],
    index: int,
    color: str,
    *,
    repairs: dict,
    published: dict[int, dt.date],
) -> list[Listing]:
    """The listings of one list of the version `of_year[index]`: listed since the first of
    the versions before it that list the firm without a gap; ended by a later version that
    leaves it out (a repair or a correction), else by the rules."""
    shown = of_year[index]
    year = shown["year"]
    codes_of = [_codes(row, color) for row in of_year]
    listings = []
    for entry in shown["data"][LIST_KEYS[color]]:
        code = entry["credit_code"]
        start = index
        while start > 0 and code in codes_of[start - 1]:
            start -= 1
        end = index
        while end + 1 < len(of_year) and code in codes_of[end + 1]:
            end += 1
        listing = Listing(
            year=year,
            color=color,
            credit_code=code,
            name=entry["name"],
            grade=entry["grade"],
            score=_decimal(entry["score"]),
            vetoed=entry["vetoed"],
            rank=entry["rank"],
            compounds=entry["compounds"],
            numbers=[row["number"] for row in of_year[start : end + 1]],
            listed_on=_local_date(of_year[start]["published_at"]),
        )
        repair = repairs.get((year, code))
        if end + 1 < len(of_year):
            removed = of_year[end + 1]
            day = _local_date(removed["published_at"])
            if color == BLACK and repair is not None and repair[1] == removed["number"]:
                listing.ends_on, listing.ended_by, listing.repaired_on = (
                    repair[0],
                    ENDED_BY_REPAIR,
                    repair[0],
                )
            else:
                listing.ends_on, listing.ended_by = day, ENDED_BY_CORRECTION
        else:
            _set_end(
                listing,
                veto_years=shown["veto_years"],
                published=published,
                repaired_on=repair[0] if repair else None,
            )
        listings.append(listing)
    return listings


# --- the proposed lists (公示) ---------------------------------------------------------------


def publications_in_publicity() -> list[Publication]:
    """The years whose lists are in publicity, newest first, each with what its proposed lists
    depend on (`fingerprint`). One query."""
    publications = list(
        Publication.objects.filter(status=PublicationStatus.PUBLICITY)
        .select_related("run__rule_set")
        .annotate(
            pending=Count("objections", filter=Q(objections__status=ObjectionStatus.PENDING)),
            last_filed=Max("objections__filed_at"),
            last_answered=Max("objections__answered_at"),
        )
        .order_by("-year")
    )
    for publication in publications:
        publication.fingerprint = "|".join(
            str(part)
            for part in (
                publication.pk,
                publication.run_id,
                publication.period_start.isoformat(),
                publication.publicity_days,
                publication.run.rule_set.veto_listing_years,
                publication.pending,
                publication.last_filed,
                publication.last_answered,
            )
        )
    return publications


def proposal(publication: Publication) -> Proposal:
    """The proposed red and black lists of a publication in publicity, each firm with why and
    until when it would be listed, and marked while its objection awaits the bureau's answer.
    Two queries (the cached published versions aside)."""
    pending = Objection.objects.filter(
        publication=publication, firm_id=OuterRef("firm_id"), status=ObjectionStatus.PENDING
    )
    rows = (
        Rating.objects.filter(run_id=publication.run_id, grade__in=[Grade.A, Grade.D])
        .annotate(objection_pending=Exists(pending), compounds=Count("firm__compounds"))
        .order_by(F("rank").asc(nulls_last=True), "firm__credit_code")
        .values(
            "rank",
            "score",
            "grade",
            "vetoed",
            "base",
            "bonus_capped",
            "deductions",
            "objection_pending",
            "compounds",
            code=F("firm__credit_code"),
            name=F("firm__name"),
        )
    )
    published = first_published(selectors.published_versions())
    veto_years = publication.run.rule_set.veto_listing_years
    red, black = [], []
    for row in rows:
        listing = Listing(
            year=publication.year,
            color=RED if row["grade"] == Grade.A else BLACK,
            credit_code=row["code"],
            name=row["name"],
            grade=row["grade"],
            score=row["score"],
            vetoed=row["vetoed"],
            rank=row["rank"],
            compounds=row["compounds"],
            base=row["base"],
            bonus=row["bonus_capped"],
            deductions=row["deductions"],
            objection_pending=row["objection_pending"],
            proposed=True,
        )
        _set_end(listing, veto_years=veto_years, published=published)
        (red if listing.color == RED else black).append(listing)
    _attach_events(red + black)
    return Proposal(publication=publication, red=red, black=black)


# --- a firm's public record ------------------------------------------------------------------


def firm_public_record(*, firm_id: int) -> tuple[list[dict], list[Listing]]:
    """A firm's grades in the published versions (for each year, the latest version's, marked
    `repaired_on` when an approved credit repair took it off that year's black list) and its
    listings, oldest first: each year and versions it was listed in, red or black, why, from
    when until when. One query for a firm never listed; four otherwise (the cached published
    versions aside)."""
    rows = list(
        Rating.objects.filter(firm_id=firm_id, run__publication_versions__isnull=False)
        .values(
            "pk",
            "grade",
            "score",
            "rank",
            "vetoed",
            "base",
            "bonus_capped",
            "deductions",
            code=F("firm__credit_code"),
            name=F("firm__name"),
            year=F("run__publication_versions__publication__year"),
            number=F("run__publication_versions__number"),
            published_at=F("run__publication_versions__published_at"),
            veto_years=F("run__rule_set__veto_listing_years"),
        )
        .order_by("year", "number")
    )
    latest: dict[int, dict] = {}
    for row in rows:
        latest[row["year"]] = row
    grades = [dict(row, repaired_on=None) for row in latest.values()][::-1]
    if not any(row["grade"] in (Grade.A, Grade.D) for row in rows):
        return grades, []
    versions = selectors.published_versions()
    published = first_published(versions)
    numbers_of: dict[int, list[PublicationVersion]] = defaultdict(list)
    for version in versions:
        numbers_of[version.publication.year].append(version)
    repairs = approved_repairs(years=latest)
    code = rows[0]["code"]
    by_version = {(row["year"], row["number"]): row for row in rows}
    listings: list[Listing] = []
    for year in sorted(latest):
        repair = repairs.get((year, code))
        of_year = sorted(numbers_of[year], key=lambda v: v.number)

        def color_in(version: PublicationVersion, year=year, repair=repair) -> str | None:
            row = by_version.get((year, version.number))
            if row is None or row["grade"] not in (Grade.A, Grade.D):
                return None
            if row["grade"] == Grade.D:
                # An approved repair left the firm off the black list from its version on.
                if repair is not None and repair[1] is not None and version.number >= repair[1]:
                    return None
                return BLACK
            return RED

        colors = [color_in(version) for version in of_year]
        i = 0
        while i < len(of_year):
            color = colors[i]
            if color is None:
                i += 1
                continue
            j = i
            while j + 1 < len(of_year) and colors[j + 1] == color:
                j += 1
            row = by_version[(year, of_year[j].number)]
            listing = Listing(
                year=year,
                color=color,
                credit_code=code,
                name=row["name"],
                grade=row["grade"],
                score=row["score"],
                vetoed=row["vetoed"],
                rank=row["rank"],
                base=row["base"],
                bonus=row["bonus_capped"],
                deductions=row["deductions"],
                numbers=[v.number for v in of_year[i : j + 1]],
                listed_on=_local_date(of_year[i].published_at),
            )
            if j + 1 < len(of_year):
                removed = of_year[j + 1]
                if color == BLACK and repair is not None and repair[1] == removed.number:
                    listing.ends_on, listing.ended_by = repair[0], ENDED_BY_REPAIR
                    listing.repaired_on = repair[0]
                else:
                    listing.ends_on = _local_date(removed.published_at)
                    listing.ended_by = ENDED_BY_CORRECTION
            else:
                _set_end(
                    listing,
                    veto_years=row["veto_years"],
                    published=published,
                    repaired_on=repair[0] if repair and color == BLACK else None,
                )
            listings.append(listing)
            i = j + 1
    for grade in grades:
        repair = repairs.get((grade["year"], code))
        if repair is not None and grade["grade"] == Grade.D:
            grade["repaired_on"] = repair[0]
    _attach_events(listings)
    return grades, listings
