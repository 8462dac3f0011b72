"""Reads of the registry: what each user may see, loaded with everything its page shows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import (
    Count,
    ForeignKey,
    Model,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext as _

from portal.choices import Role
from portal.history import reason_label
from portal.models import Community, District, Street, User
from portal.scoping import CITY_WIDE_READERS, compound_filter, firm_filter

from .models import Compound, Firm, Management
from .validators import normalize_credit_code

HISTORY_LIMIT = 50
# A search reads the ids of the firms it matches through another table first when they are
# at most this many (portal/search.py: then PostgreSQL combines the indexes of each way a row
# may match); more, and the search is a subquery.
SEARCH_IDS_MAX = 2000


def _served(figure, scope: Q | None = None) -> Subquery:
    """One figure of the compounds the outer firm serves, within `scope` (an officer of street
    A counts street A's compounds only): a subquery evaluated for the rows shown, so a page of
    50 firms costs 50 index probes whatever the size of the registry."""
    served = (
        Compound.objects.filter(scope or Q(), firm=OuterRef("pk"))
        .order_by()
        .values("firm")
        .annotate(figure=figure)
        .values("figure")
    )
    return Subquery(served)


# --- firms -----------------------------------------------------------------------------------


def firms_for_user(*, user: User) -> QuerySet[Firm]:
    """The firms the user may read, with the figures of the compounds it serves that the user
    may see."""
    scope = compound_filter(user)
    return Firm.objects.filter(firm_filter(user)).annotate(
        compound_count=Coalesce(_served(Count("pk"), scope), 0),
        households_total=_served(Sum("households"), scope),
        floor_area_total=_served(Sum("floor_area"), scope),
    )


def _ids_or_subquery(ids: QuerySet) -> list[int] | QuerySet:
    """The ids `ids` (`values_list(<an id>, flat=True)`) selects, read first when they are few
    (then the outer query can combine its indexes: a bitmap OR), or the subquery itself when
    they are many."""
    ids = ids.order_by()
    found = list(ids[: SEARCH_IDS_MAX + 1])
    return found if len(found) <= SEARCH_IDS_MAX else ids


def _is_code_fragment(q: str) -> bool:
    """Whether q could be part of a credit code or a compound code (letters and digits)."""
    return q.isascii() and q.replace("-", "").isalnum()


def firm_search(queryset: QuerySet[Firm], q: str) -> QuerySet[Firm]:
    """By name, credit code, or the name of a compound the firm currently serves."""
    q = (q or "").strip()
    if not q:
        return queryset
    serving = Compound.objects.filter(name__fragment=q, firm__isnull=False)
    serving_firms = _ids_or_subquery(serving.values_list("firm_id", flat=True))
    match = Q(name__fragment=q) | Q(pk__in=serving_firms)
    if _is_code_fragment(q):
        match |= Q(credit_code__icontains=q)
    return queryset.filter(match)


def _management_filter(user: User) -> Q:
    """Management periods the user may read on a firm's page: a firm reads all of its own,
    an area or a committee those of its compounds."""
    if user.role in CITY_WIDE_READERS:
        return Q()
    if user.role == Role.FIRM:
        return Q(firm_id=user.firm_id)
    return compound_filter(user, via="compound")


def firm_get_for_user(*, user: User, pk: int) -> Firm:
    """One firm with its current compounds (`current_compounds`) and former ones
    (`former_managements`) as far as the user may see them; Http404 outside the scope."""
    current = (
        Compound.objects.filter(compound_filter(user))
        .select_related("community__street__district")
        .order_by("code")
    )
    former = (
        Management.objects.filter(_management_filter(user), end_date__isnull=False)
        .select_related("compound__community__street")
        .order_by("-end_date", "compound__code")
    )
    queryset = firms_for_user(user=user).prefetch_related(
        Prefetch("compounds", queryset=current, to_attr="current_compounds"),
        Prefetch("managements", queryset=former, to_attr="former_managements"),
    )
    try:
        return queryset.get(pk=pk)
    except Firm.DoesNotExist:
        raise Http404(_("No such firm, or not within your area.")) from None


# --- compounds -------------------------------------------------------------------------------


def compounds_for_user(*, user: User) -> QuerySet[Compound]:
    """The compounds the user may read, with their area and firm joined (a list joins its
    page's rows only: companies.tables.PageFirst)."""
    return Compound.objects.filter(compound_filter(user)).with_area()


def compound_search(queryset: QuerySet[Compound], q: str) -> QuerySet[Compound]:
    """By compound code, compound name or the managing firm's name."""
    q = (q or "").strip()
    if not q:
        return queryset
    named = _ids_or_subquery(Firm.objects.filter(name__fragment=q).values_list("pk", flat=True))
    match = Q(name__fragment=q) | Q(firm__in=named)
    if _is_code_fragment(q):
        match |= Q(code__icontains=q)
    return queryset.filter(match)


def compound_get_for_user(*, user: User, pk: int) -> Compound:
    """One compound with its management periods (`periods`, newest first); Http404 outside
    the scope."""
    periods = Management.objects.select_related("firm").order_by("-start_date", "-pk")
    queryset = compounds_for_user(user=user).prefetch_related(
        Prefetch("managements", queryset=periods, to_attr="periods")
    )
    try:
        return queryset.get(pk=pk)
    except Compound.DoesNotExist:
        raise Http404(_("No such compound, or not within your area.")) from None


def compound_open_period(compound: Compound) -> Management | None:
    """The open management period of a compound loaded by `compound_get_for_user`."""
    return next((p for p in compound.periods if p.end_date is None), None)


# --- areas and choices for the list filters --------------------------------------------------


def districts_for_user(*, user: User) -> QuerySet[District]:
    visible = compounds_for_user(user=user).values("community__street__district_id")
    return District.objects.filter(pk__in=visible)


def streets_for_user(*, user: User) -> QuerySet[Street]:
    visible = compounds_for_user(user=user).values("community__street_id")
    return Street.objects.filter(pk__in=visible).select_related("district")


def communities_for_user(*, user: User) -> QuerySet[Community]:
    visible = compounds_for_user(user=user).values("community_id")
    return Community.objects.filter(pk__in=visible).select_related("street")


def firm_choices_for_user(*, user: User) -> QuerySet[Firm]:
    """The firms the user may read, with what the picker shows (list filters)."""
    return Firm.objects.filter(firm_filter(user)).only("pk", "name", "credit_code").order_by("name")


def communities_for_choice() -> QuerySet[Community]:
    """Every community, for the compound form (bureau staff only)."""
    return Community.objects.select_related("street").order_by("street__name", "name")


def firms_for_choice() -> QuerySet[Firm]:
    return Firm.objects.order_by("name")


# --- public ----------------------------------------------------------------------------------


def public_firm_search(*, q: str) -> QuerySet[Firm]:
    """The public lookup: by name or credit code; nothing for an empty query."""
    q = (q or "").strip()
    if not q:
        return Firm.objects.none()
    code = normalize_credit_code(q)
    return (
        Firm.objects.filter(Q(name__fragment=q) | Q(credit_code__startswith=code))
        .only("pk", "credit_code", "name", "legal_representative", "address")
        .annotate(compound_count=Coalesce(_served(Count("pk")), 0))
        .order_by("name", "pk")
    )


def public_firm_get(*, credit_code: str) -> Firm:
    """A firm's public page: registration data and the compounds it serves with their street
    (`current_compounds`). Nothing internal is loaded."""
    current = (
        Compound.objects.select_related("community__street")
        .only("pk", "code", "name", "firm_id", "community__name", "community__street__name")
        .order_by("community__street__name", "name")
    )
    queryset = Firm.objects.only(
        "pk", "credit_code", "name", "legal_representative", "address"
    ).prefetch_related(Prefetch("compounds", queryset=current, to_attr="current_compounds"))
    try:
        return queryset.get(credit_code=normalize_credit_code(credit_code))
    except Firm.DoesNotExist:
        raise Http404(_("No firm has this credit code.")) from None


# --- change history --------------------------------------------------------------------------


@dataclass
class HistoryEntry:
    """One row of a change history: who, when, what kind of change (and the label of its
    recorded reason), and which fields."""

    date: datetime
    user: User | None
    kind: str
    reason: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)


def _display(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return str(value)


def history_for(instance: Model, *, limit: int = HISTORY_LIMIT) -> list[HistoryEntry]:
    """The latest changes of a registry row, each with its field changes (old → new), loaded
    in a fixed number of queries."""
    records = list(
        instance.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : limit + 1
        ]
    )
    model = type(instance)
    kinds = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}
    deltas = []
    related_ids: dict[type[Model], set] = {}
    for newer, older in zip(records, records[1:] + [None], strict=True):
        changes = newer.diff_against(older).changes if older is not None else []
        deltas.append((newer, changes))
        for change in changes:
            model_field = model._meta.get_field(change.field)
            if isinstance(model_field, ForeignKey):
                bucket = related_ids.setdefault(model_field.related_model, set())
                bucket.update(v for v in (change.old, change.new) if v is not None)
    names = {related: related._default_manager.in_bulk(ids) for related, ids in related_ids.items()}
    entries = []
    for record, changes in deltas[:limit]:
        entry = HistoryEntry(
            date=record.history_date,
            user=record.history_user,
            kind=kinds.get(record.history_type, record.history_type),
            reason=reason_label(model, record.history_change_reason or ""),
        )
        for change in changes:
            model_field = model._meta.get_field(change.field)
            old, new = change.old, change.new
            if isinstance(model_field, ForeignKey):
                found = names.get(model_field.related_model, {})
                old, new = found.get(old, old), found.get(new, new)
            entry.changes.append((str(model_field.verbose_name), _display(old), _display(new)))
        entries.append(entry)
    return entries
