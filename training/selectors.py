"""Reads of the training: who sees which session and attendance, who may record what, and
this year's coverage of the streets and communities (with the missing ones)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404

from companies.models import Firm
from portal.choices import Role
from portal.models import Community, Street
from portal.scoping import is_bureau, is_signed_in

from .models import Attendance, Material, Session

# --- access (the role alone: the bar's links ask no query) -------------------------------------


def can_read_training(user) -> bool:
    """Sessions and their materials: every signed-in user, never the public."""
    return is_signed_in(user)


def can_edit_sessions(user) -> bool:
    return is_bureau(user)


def can_record_attendance(user) -> bool:
    """The bureau records everyone's; a street officer their street's and its communities'."""
    return is_signed_in(user) and (
        user.role == Role.BUREAU or (user.role == Role.STREET and user.street_id is not None)
    )


def can_read_coverage(user) -> bool:
    return can_record_attendance(user)


# --- sessions and materials ---------------------------------------------------------------------


def sessions_for_user(*, user) -> QuerySet[Session]:
    """Every session, for a signed-in user; none for the public."""
    if not can_read_training(user):
        return Session.objects.none()
    return Session.objects.all()


def session_search(sessions: QuerySet[Session], q: str) -> QuerySet[Session]:
    return sessions.filter(Q(topic__icontains=q) | Q(organiser__icontains=q)) if q else sessions


def session_get_for_user(*, user, pk: int) -> Session:
    session = sessions_for_user(user=user).filter(pk=pk).first()
    if session is None:
        raise Http404
    return session


def materials_for_user(*, user) -> QuerySet[Material]:
    """The files of the sessions: every signed-in user reads them, the public none."""
    if not can_read_training(user):
        return Material.objects.none()
    return Material.objects.all()


# --- attendance ---------------------------------------------------------------------------------


def attendance_scope(user) -> Q:
    """The attendance rows a user may read (and, for the recorders, write)."""
    if not is_signed_in(user):
        return Q(pk__in=[])
    match user.role:
        case Role.BUREAU:
            return Q()
        case Role.STREET:
            return Q(street_id=user.street_id) | Q(community__street_id=user.street_id)
        case Role.COMMUNITY:
            return Q(community_id=user.community_id)
        case Role.FIRM:
            return Q(firm_id=user.firm_id)
    return Q(pk__in=[])


def attendances_for_user(*, user, session: Session) -> list[Attendance]:
    return list(
        session.attendances.filter(attendance_scope(user))
        .select_related("street__district", "community__street", "firm")
        .order_by("street__name", "community__street__name", "community__name", "firm__name")
    )


def streets_recordable(user) -> QuerySet[Street]:
    if not can_record_attendance(user):
        return Street.objects.none()
    streets = Street.objects.select_related("district")
    return streets if user.role == Role.BUREAU else streets.filter(pk=user.street_id)


def communities_recordable(user) -> QuerySet[Community]:
    if not can_record_attendance(user):
        return Community.objects.none()
    communities = Community.objects.select_related("street__district")
    if user.role == Role.BUREAU:
        return communities
    return communities.filter(street_id=user.street_id)


def firms_recordable(user) -> QuerySet[Firm]:
    return Firm.objects.all() if is_bureau(user) else Firm.objects.none()


# --- this year's coverage -----------------------------------------------------------------------


def _attended(year: int, **outer) -> Exists:
    return Exists(Attendance.objects.filter(session__date__year=year, **outer))


@dataclass(frozen=True)
class Coverage:
    streets: int
    streets_attended: int
    communities: int
    communities_attended: int

    @property
    def streets_missing(self) -> int:
        return self.streets - self.streets_attended

    @property
    def communities_missing(self) -> int:
        return self.communities - self.communities_attended


def coverage(*, year: int) -> Coverage:
    """How many of the city's streets and communities attended a session of `year`: the
    attendances of the year counted by area, not every area looked up in them (a country has
    5,000 streets and 30,000 communities). Three queries."""
    attended = Attendance.objects.filter(session__date__year=year).aggregate(
        streets=Count("street", distinct=True), communities=Count("community", distinct=True)
    )
    return Coverage(
        streets=Street.objects.count(),
        streets_attended=attended["streets"],
        communities=Community.objects.count(),
        communities_attended=attended["communities"],
    )


@dataclass(frozen=True)
class StreetMissing:
    street: Street
    attended: bool
    missing_communities: list


def missing_for_user(*, user, year: int) -> list[StreetMissing]:
    """The streets (the bureau's all, a street officer's own) with whether each attended a
    session of `year` and which of its communities did not; only streets with something
    missing. Two queries whatever the size of the city."""
    if not can_read_coverage(user):
        return []
    streets = list(
        streets_recordable(user)
        .annotate(attended=_attended(year, street=OuterRef("pk")))
        .order_by("district__name", "name")
    )
    missing: dict[int, list] = {}
    for community in (
        communities_recordable(user)
        .annotate(attended=_attended(year, community=OuterRef("pk")))
        .filter(attended=False)
        .order_by("name")
    ):
        missing.setdefault(community.street_id, []).append(community)
    return [
        StreetMissing(street=s, attended=s.attended, missing_communities=missing.get(s.pk, []))
        for s in streets
        if not s.attended or s.pk in missing
    ]


def street_status(*, user, year: int) -> tuple[bool, list[Community]] | None:
    """A street officer's own street: whether it attended this year, and its communities that
    did not. One query (the communities, each carrying its street's answer too)."""
    if not (is_signed_in(user) and user.role == Role.STREET and user.street_id):
        return None
    rows = list(
        Community.objects.filter(street_id=user.street_id)
        .annotate(
            attended=_attended(year, community=OuterRef("pk")),
            street_attended=_attended(year, street=OuterRef("street_id")),
        )
        .order_by("name")
    )
    if rows:
        street_attended = rows[0].street_attended
    else:  # a street without communities
        street_attended = Attendance.objects.filter(
            session__date__year=year, street_id=user.street_id
        ).exists()
    return street_attended, [c for c in rows if not c.attended]


def firm_attended_ids(*, user, sessions) -> set[int]:
    """The sessions among `sessions` the user's firm attended (a firm's list)."""
    if not (is_signed_in(user) and user.role == Role.FIRM and user.firm_id):
        return set()
    return set(
        Attendance.objects.filter(
            firm_id=user.firm_id, session_id__in=[s.pk for s in sessions]
        ).values_list("session_id", flat=True)
    )


def this_year(today: dt.date) -> int:
    return today.year
