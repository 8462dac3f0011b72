"""Good conduct declared by firms (良好行为申报), and a firm's own record of credit events.

A firm declares an award, a 红心物业 project, a skills-contest prize or help in an emergency,
with evidence. An officer of a street where the firm serves a compound, or the bureau, decides
within the rule set's `repair_decision_days` working days (the same clock as credit repair):
acceptance records a bonus credit event of the conduct's year, whose reason names the
declaration; refusal gives reasons. The reads of these pages live here too, beside the writes
they mirror."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import BooleanField, Count, ExpressionWrapper, Min, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from companies.models import Firm
from portal.choices import Role
from portal.models import User
from portal.scoping import firm_filter, is_signed_in
from portal.services import record_save, refusal

from ..choices import EventKind
from ..models import (
    DECLARATION_MAX_POINTS,
    ConductKind,
    CreditEvent,
    Declaration,
    DeclarationEvidence,
    DeclarationStatus,
    RuleSet,
)
from ..publication import check_attachment, max_attachments
from ..workdays import late_decision_reason, working_days_after
from .events import credit_event_create

# The reasons recorded in the history: "<state> → <state>" (portal/history.py labels them).
ACCEPTED_REASON = f"{DeclarationStatus.PENDING} → {DeclarationStatus.ACCEPTED}"
REFUSED_REASON = f"{DeclarationStatus.PENDING} → {DeclarationStatus.REFUSED}"
# The kinds as the bonus event's reason names them: in the city's language, not the reader's,
# since the reason is part of the firm's record that the rating and the public lists quote.
KIND_NAMES = {
    ConductKind.AWARD: "获奖表彰",
    ConductKind.RED_HEART: "红心物业项目",
    ConductKind.CONTEST: "技能竞赛获奖",
    ConductKind.EMERGENCY: "应急处置中表现突出",
}
DEFAULT_DECISION_DAYS = 5
REVIEWER_ROLES = {Role.BUREAU, Role.STREET}


def event_reason(declaration: Declaration) -> str:
    """The bonus event's reason: it names the declaration by its number."""
    return f"良好行为申报第{declaration.pk}号：{KIND_NAMES[declaration.kind]}"


# --- reads -----------------------------------------------------------------------------------


def can_see_declarations(user: User) -> bool:
    """The bureau and street officers review them, the association reads them (the credit
    events link to them); a firm sees its own."""
    return is_signed_in(user) and user.role in {*REVIEWER_ROLES, Role.ASSOCIATION, Role.FIRM}


def is_firm_user(user: User) -> bool:
    return is_signed_in(user) and user.role == Role.FIRM and bool(user.firm_id)


def can_review(user: User) -> bool:
    return is_signed_in(user) and user.role in REVIEWER_ROLES


def declarations_for_user(*, user: User) -> QuerySet[Declaration]:
    """All for the bureau and the association; for a street officer those of the firms serving a compound in the
    street; for a firm its own."""
    queryset = Declaration.objects.select_related("firm", "bonus_event").order_by(
        "-filed_at", "-pk"
    )
    if not can_see_declarations(user):
        return queryset.none()
    return queryset.filter(firm_filter(user, via="firm"))


def declarations_in_state(
    queryset: QuerySet[Declaration], *, state: str, today: dt.date
) -> QuerySet[Declaration]:
    """The declarations of `queryset` in a DeclarationStatus (all for ""), each marked
    `overdue`: still pending after its decision date."""
    late = Q(status=DeclarationStatus.PENDING, decide_by__lt=today)
    queryset = queryset.annotate(overdue=ExpressionWrapper(late, output_field=BooleanField()))
    if state in DeclarationStatus.values:
        return queryset.filter(status=state)
    return queryset


def declaration_get_for_user(*, user: User, pk: int) -> Declaration:
    try:
        return (
            declarations_for_user(user=user)
            .select_related("filed_by", "decided_by")
            .prefetch_related("evidence")
            .get(pk=pk)
        )
    except Declaration.DoesNotExist:
        raise Http404(_("No such declaration.")) from None


def declaration_evidence_for_user(*, user: User) -> QuerySet[DeclarationEvidence]:
    """The evidence files of the declarations the user may read (portal/files.py)."""
    return DeclarationEvidence.objects.filter(
        declaration__in=declarations_for_user(user=user).values("pk")
    )


def declaration_history(declaration: Declaration) -> QuerySet:
    return declaration.history.select_related("history_user").order_by(
        "-history_date", "-history_id"
    )


def declarations_awaiting_decision(*, user: User, today: dt.date) -> dict:
    """The pending declarations the user may decide: `count`, `overdue`, `first_due`."""
    if not can_review(user):
        return {"count": 0, "overdue": 0, "first_due": None}
    return (
        declarations_for_user(user=user)
        .filter(status=DeclarationStatus.PENDING)
        .aggregate(
            count=Count("pk"),
            overdue=Count("pk", filter=Q(decide_by__lt=today)),
            first_due=Min("decide_by"),
        )
    )


def own_credit_events(*, user: User) -> QuerySet[CreditEvent]:
    """A firm's credit events of every year, with the declaration each bonus came from; no
    other firm's, and none for anyone but a firm user."""
    if not is_firm_user(user):
        return CreditEvent.objects.none()
    return (
        CreditEvent.objects.filter(firm_id=user.firm_id)
        .select_related("declaration")
        .order_by("-year", "-date", "-pk")
    )


def decision_days(*, year: int) -> int:
    """The working days a declaration filed in `year` waits at most: the rule set of that year,
    else of the latest year before it."""
    rule_set = RuleSet.objects.filter(year__lte=year).order_by("-year").first()
    return rule_set.repair_decision_days if rule_set else DEFAULT_DECISION_DAYS


# --- writes ----------------------------------------------------------------------------------


def _check_evidence(evidence) -> None:
    if not evidence:
        raise refusal(_("Attach at least one file showing the good conduct."), "no_file", "files")
    if len(evidence) > max_attachments():
        raise refusal(
            _("At most %(n)s files.") % {"n": max_attachments()}, "too_many_files", "files"
        )
    for upload in evidence:
        check_attachment(upload, field="files")


@transaction.atomic
def declaration_file(
    *,
    user: User,
    kind: str,
    date: dt.date,
    description: str,
    evidence: list[UploadedFile] | tuple = (),
    now: dt.datetime | None = None,
) -> Declaration:
    """A firm declares good conduct of its own; the street or the bureau is to decide within
    the rule set's working days, counted from today on the calendar."""
    if not is_firm_user(user):
        raise refusal(_("Only a firm may declare good conduct, its own."), "not_firm")
    now = now or timezone.now()
    today = timezone.localdate(now)
    if kind not in ConductKind.values:
        raise refusal(_("Choose the kind of good conduct."), "kind", "kind")
    if not isinstance(date, dt.date) or date > today:
        raise refusal(_("The conduct cannot lie in the future."), "future", "date")
    description = (description or "").strip()
    if not description:
        raise refusal(_("Describe the good conduct."), "text_required", "description")
    _check_evidence(evidence)
    declaration = record_save(
        Declaration(
            firm=Firm.objects.get(pk=user.firm_id),
            kind=kind,
            date=date,
            description=description,
            filed_by=user,
            filed_at=now,
            decide_by=working_days_after(today, decision_days(year=today.year)),
        ),
        user=user,
    )
    for upload in evidence:
        file = DeclarationEvidence(
            declaration=declaration, file=upload, name=upload.name[:200], size=upload.size
        )
        file.full_clean()
        file.save()
    return declaration


def _lock_pending(*, user: User | None, declaration: Declaration) -> Declaration:
    if user is not None and not can_review(user):
        raise refusal(_("Only the street or the bureau may decide a declaration."), "not_allowed")
    # Lock: two reviewers deciding the same declaration at once; the second finds it decided.
    declaration = Declaration.objects.select_for_update(of=("self",)).get(pk=declaration.pk)
    if user is not None and user.role == Role.STREET:
        serving = Firm.objects.filter(firm_filter(user), pk=declaration.firm_id).exists()
        if not serving:
            raise refusal(
                _("The firm serves no compound in your street: the bureau decides."),
                "not_in_street",
            )
    if not declaration.is_pending:
        raise refusal(_("This declaration has been decided already."), "decided")
    return declaration


def clean_points(points) -> Decimal:
    try:
        points = Decimal(points)
    except (InvalidOperation, TypeError, ValueError):
        raise refusal(_("Give the points as a number."), "points", "points") from None
    if not (Decimal("0") < points <= DECLARATION_MAX_POINTS):
        raise refusal(
            _("The points lie above 0 and at most %(max)s.") % {"max": DECLARATION_MAX_POINTS},
            "points",
            "points",
        )
    return points.quantize(Decimal("0.01"))


@transaction.atomic
def declaration_accept(
    *,
    user: User | None,
    declaration: Declaration,
    points: Decimal | None = None,
    delay_reason: str = "",
    now: dt.datetime | None = None,
) -> Declaration:
    """Accept: a bonus credit event of the conduct's year, its reason naming the declaration.
    `points`: the kind's default when not given. Past the decision date, with the reason for
    the delay."""
    points = clean_points(declaration.default_points if points is None else points)
    declaration = _lock_pending(user=user, declaration=declaration)
    now = now or timezone.now()
    declaration.delay_reason = late_decision_reason(
        decide_by=declaration.decide_by,
        today=timezone.localdate(now),
        delay_reason=delay_reason,
    )
    event = credit_event_create(
        user=user,
        year=declaration.date.year,
        firm=declaration.firm,
        kind=EventKind.BONUS,
        points=points,
        date=declaration.date,
        reason=event_reason(declaration),
    )
    declaration.status = DeclarationStatus.ACCEPTED
    declaration.points = points
    declaration.bonus_event = event
    declaration.decided_by = user
    declaration.decided_at = now
    return record_save(declaration, user=user, reason=ACCEPTED_REASON)


@transaction.atomic
def declaration_refuse(
    *,
    user: User | None,
    declaration: Declaration,
    reasons: str,
    delay_reason: str = "",
    now: dt.datetime | None = None,
) -> Declaration:
    """Refuse, with the reasons the firm reads. Past the decision date, with the reason for the
    delay."""
    reasons = (reasons or "").strip()
    if not reasons:
        raise refusal(_("Give the reasons for refusing the declaration."), "reasons", "reasons")
    declaration = _lock_pending(user=user, declaration=declaration)
    now = now or timezone.now()
    declaration.delay_reason = late_decision_reason(
        decide_by=declaration.decide_by,
        today=timezone.localdate(now),
        delay_reason=delay_reason,
    )
    declaration.status = DeclarationStatus.REFUSED
    declaration.reasons = reasons
    declaration.decided_by = user
    declaration.decided_at = now
    return record_save(declaration, user=user, reason=REFUSED_REASON)
