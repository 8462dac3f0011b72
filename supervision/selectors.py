"""Reads of the spot checks: the candidates of a draw, the public plans, and who may see and
record which check."""

from __future__ import annotations

from django.db.models import Count, Min, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from companies.models import Compound
from credit import selectors as credit_selectors
from credit.models import CreditNotice, NoticeKind, PublicationVersion, Rating
from credit.models.publication import OPEN_NOTICE_STATUSES
from portal.choices import Role
from portal.models import User
from portal.scoping import CITY_WIDE_READERS, is_bureau, is_signed_in

from .choices import RECTIFYING_STATES, CheckState, PlanStatus
from .models import Check, CheckPhoto, Plan, RectificationEvidence

INSPECTOR_ROLES = (Role.BUREAU, Role.STREET, Role.COMMUNITY)

# --- access ----------------------------------------------------------------------------------


def can_plan(user) -> bool:
    """Plans are made and drawn by bureau staff."""
    return is_bureau(user)


def may_inspect(user) -> bool:
    """The roles an inspector can have (the bar's link: the role alone, no query)."""
    return is_signed_in(user) and user.role in INSPECTOR_ROLES


def can_read_checks(user) -> bool:
    """The check pages: inspectors' roles, the association, and firms (their compounds')."""
    return is_signed_in(user) and user.role in {*INSPECTOR_ROLES, Role.ASSOCIATION, Role.FIRM}


def can_read_notices(user) -> bool:
    """Who opens the credit app's notice pages (its own rule: readers of ratings and firms)."""
    return credit_selectors.can_read_ratings(user) or (
        is_signed_in(user) and user.role == Role.FIRM
    )


def inspector_street_id(user) -> int | None:
    """The street an inspector belongs to (a community officer's through the community);
    bureau staff belong to none."""
    if user.role == Role.STREET:
        return user.street_id
    if user.role == Role.COMMUNITY:
        return user.community.street_id
    return None


# --- the draw's inputs -------------------------------------------------------------------------


def latest_published_version() -> PublicationVersion | None:
    """The newest published version of the red and black lists (the latest year's latest)."""
    versions = credit_selectors.published_versions()
    return versions[0] if versions else None


def published_grades(version: PublicationVersion) -> dict[int, str]:
    """Each rated firm's grade in a published version. One query."""
    return dict(Rating.objects.filter(run_id=version.run_id).values_list("firm_id", "grade"))


def candidate_compounds() -> QuerySet[Compound]:
    """Every compound a firm manages, by compound code: the candidates of a draw."""
    return (
        Compound.objects.filter(firm__isnull=False)
        .select_related("firm", "community__street")
        .order_by("code")
    )


def inspector_choices() -> QuerySet[User]:
    """The people who may be put in a plan's pool."""
    return (
        User.objects.filter(is_active=True, role__in=INSPECTOR_ROLES)
        .select_related("street", "community__street")
        .order_by("username")
    )


def plan_pool(plan: Plan) -> list[User]:
    """The plan's inspectors in the order of their usernames: the order the draw uses."""
    return list(plan.inspectors.select_related("community").order_by("username"))


def open_rectification_notice(*, firm_id: int) -> CreditNotice | None:
    """The firm's newest open rectification notice of a red/black list, if any."""
    return (
        CreditNotice.objects.filter(
            firm_id=firm_id, kind=NoticeKind.RECTIFICATION, status__in=OPEN_NOTICE_STATUSES
        )
        .order_by("-issued_at", "-pk")
        .first()
    )


# --- plans -----------------------------------------------------------------------------------


def _with_counts(queryset: QuerySet[Plan]) -> QuerySet[Plan]:
    return queryset.annotate(
        check_count=Count("checks"),
        done_count=Count("checks", filter=~Q(checks__state=CheckState.DRAWN)),
        issue_count=Count(
            "checks", filter=Q(checks__state__in=[CheckState.ISSUES, CheckState.RECTIFICATION])
        ),
    )


def plans_for_user(*, user) -> QuerySet[Plan]:
    """Published plans for everyone; drafts too for the bureau."""
    queryset = (
        Plan.objects.all() if can_plan(user) else Plan.objects.filter(status=PlanStatus.PUBLISHED)
    )
    return _with_counts(queryset.select_related("basis_version__publication")).order_by(
        "-start", "-pk"
    )


def plan_get_for_user(*, user, pk: int) -> Plan:
    try:
        return plans_for_user(user=user).get(pk=pk)
    except Plan.DoesNotExist:
        raise Http404(_("No such plan.")) from None


def plan_checks(plan: Plan) -> QuerySet[Check]:
    """A plan's checks with what the public page shows of them."""
    return (
        Check.objects.filter(plan=plan)
        .select_related(
            "compound__community__street", "firm", "first_inspector", "second_inspector"
        )
        .order_by("compound__code", "number")
    )


# --- checks ----------------------------------------------------------------------------------


def _published(queryset: QuerySet[Check]) -> QuerySet[Check]:
    return queryset.filter(plan__status=PlanStatus.PUBLISHED)


def _inspector(user) -> Q:
    return Q(first_inspector=user) | Q(second_inspector=user)


def checks_for_user(*, user) -> QuerySet[Check]:
    """The checks of published plans the user may read: the city-wide readers all of them,
    an inspector their own, an officer those of their area, a firm those of its compounds."""
    queryset = _published(Check.objects.all()).select_related(
        "plan", "compound__community__street", "firm", "first_inspector", "second_inspector"
    )
    if not is_signed_in(user):
        return queryset.none()
    if user.role in CITY_WIDE_READERS:
        return queryset
    if user.role == Role.STREET:
        return queryset.filter(_inspector(user) | Q(compound__community__street_id=user.street_id))
    if user.role == Role.COMMUNITY:
        return queryset.filter(_inspector(user) | Q(compound__community_id=user.community_id))
    if user.role == Role.FIRM:
        return queryset.filter(firm_id=user.firm_id)
    return queryset.none()


def check_get_for_user(*, user, pk: int) -> Check:
    try:
        return checks_for_user(user=user).get(pk=pk)
    except Check.DoesNotExist:
        raise Http404(_("No such spot check.")) from None


def can_see_photos(user, check: Check) -> bool:
    """Photos: the bureau, the check's inspectors and the officers of the compound's street."""
    if not is_signed_in(user):
        return False
    if is_bureau(user) or user.pk in check.inspector_ids():
        return True
    return user.role == Role.STREET and user.street_id == check.compound.community.street_id


def photos_for_user(*, user) -> QuerySet[CheckPhoto]:
    """The photos the user may open (portal/files.py serves them)."""
    photos = CheckPhoto.objects.filter(check_row__plan__status=PlanStatus.PUBLISHED)
    if not is_signed_in(user):
        return photos.none()
    if is_bureau(user):
        return photos
    mine = Q(check_row__first_inspector=user) | Q(check_row__second_inspector=user)
    if user.role == Role.STREET:
        mine |= Q(check_row__compound__community__street_id=user.street_id)
    return photos.filter(mine)


def can_record(user, check: Check) -> bool:
    """Only the two drawn inspectors, on a check of a published plan not yet recorded."""
    return (
        is_signed_in(user)
        and check.plan.is_published
        and check.is_open
        and user.pk in check.inspector_ids()
    )


def checks_to_record(*, user) -> QuerySet[Check]:
    """The user's own checks still to inspect, the plan ending first first."""
    return (
        _published(Check.objects.filter(_inspector(user), state=CheckState.DRAWN))
        .select_related("plan", "compound", "firm")
        .order_by("plan__end", "compound__code", "number")
    )


def checks_awaiting_rectification_order() -> QuerySet[Check]:
    return _published(Check.objects.filter(state=CheckState.ISSUES))


def rectifications_for_firm(*, user) -> QuerySet[Check]:
    return _published(Check.objects.filter(firm_id=user.firm_id, state=CheckState.RECTIFICATION))


# --- rectification to the end ----------------------------------------------------------------


def can_review_rectification(user, check: Check) -> bool:
    """The bureau, or one of the check's two inspectors."""
    return is_bureau(user) or (is_signed_in(user) and user.pk in check.inspector_ids())


def can_answer_rectification(user, check: Check) -> bool:
    """The managing firm, while the rectification is ordered (again, when sent back)."""
    return (
        is_signed_in(user)
        and user.role == Role.FIRM
        and user.firm_id == check.firm_id
        and check.state == CheckState.RECTIFICATION
    )


def can_deduct(user, check: Check, today) -> bool:
    """The bureau's other answer to issues found: at once, or once the rectification is late."""
    return is_bureau(user) and (check.state == CheckState.ISSUES or check.is_late(today))


def rectifications_to_review(*, user) -> QuerySet[Check]:
    """Answered rectifications: all for the bureau, an inspector's own checks otherwise."""
    queryset = _published(Check.objects.filter(state=CheckState.ANSWERED))
    if is_bureau(user):
        return queryset
    if may_inspect(user):
        return queryset.filter(_inspector(user))
    return queryset.none()


def rectification_evidence_for_user(*, user) -> QuerySet[RectificationEvidence]:
    """The files of the firms' answers, to whoever may read the check (portal/files.py)."""
    return RectificationEvidence.objects.filter(
        check_row__in=checks_for_user(user=user).values("pk")
    )


def check_history(check: Check) -> QuerySet:
    return check.history.select_related("history_user").order_by("-history_date", "-history_id")


def bureau_check_figures(*, today) -> dict:
    """The bureau's spot-check to-dos in one query: checks with issues awaiting an order,
    answers to review, rectifications late; each count with its smallest id (the one page
    to open when it is alone) and the earliest late date."""
    issues = Q(state=CheckState.ISSUES)
    answered = Q(state=CheckState.ANSWERED)
    late = Q(state__in=RECTIFYING_STATES, rectify_by__lt=today)
    return _published(Check.objects.all()).aggregate(
        issues=Count("pk", filter=issues),
        first_issues=Min("pk", filter=issues),
        answered=Count("pk", filter=answered),
        first_answered=Min("pk", filter=answered),
        late=Count("pk", filter=late),
        first_late=Min("pk", filter=late),
        late_due=Min("rectify_by", filter=late),
    )
