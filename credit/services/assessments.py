"""Writes of assessments: the yearly windows, who may score what, single scores, the grid
and the reminders."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from companies.models import Compound, Firm
from portal.choices import Role
from portal.models import User
from portal.services import record_save

from ..choices import AssessorRole
from ..models import Assessment, AssessmentWindow, Indicator

logger = logging.getLogger(__name__)


# --- assessment windows ----------------------------------------------------------------------


@transaction.atomic
def assessment_window_open(*, user: User, year: int) -> AssessmentWindow:
    window, _created = AssessmentWindow.objects.select_for_update().get_or_create(year=year)
    window.is_open = True
    window.opened_by = user
    window.opened_at = timezone.now()
    return record_save(window, user=user)


@transaction.atomic
def assessment_window_close(*, user: User, year: int) -> AssessmentWindow:
    window, _created = AssessmentWindow.objects.select_for_update().get_or_create(year=year)
    window.is_open = False
    window.closed_by = user
    window.closed_at = timezone.now()
    return record_save(window, user=user)


def assessment_window_is_open(*, year: int) -> bool:
    return AssessmentWindow.objects.filter(year=year, is_open=True).exists()


# --- assessments -----------------------------------------------------------------------------

ROLE_ASSESSOR = {
    Role.STREET: AssessorRole.STREET,
    Role.COMMUNITY: AssessorRole.COMMUNITY,
    Role.OWNERS_COMMITTEE: AssessorRole.OWNERS_COMMITTEE,
    Role.ASSOCIATION: AssessorRole.ASSOCIATION,
    Role.BUREAU: AssessorRole.BUREAU,
}
OWNERS_COMMITTEE_INDICATORS = ("satisfaction",)


def assessor_role_for(user: User) -> str | None:
    """The assessor role a user scores as; None for those who do not assess (firms)."""
    return ROLE_ASSESSOR.get(user.role)


def may_assess(user: User, compound: Compound, indicator_code: str) -> bool:
    """Whether the user's role may score this compound and indicator (area and role only)."""
    match user.role:
        case Role.BUREAU | Role.ASSOCIATION:
            return True
        case Role.STREET:
            return compound.community.street_id == user.street_id
        case Role.COMMUNITY:
            return compound.community_id == user.community_id
        case Role.OWNERS_COMMITTEE:
            return compound.pk == user.compound_id and indicator_code in OWNERS_COMMITTEE_INDICATORS
    return False


@transaction.atomic
def assessment_save(
    *,
    user: User | None,
    year: int,
    compound: Compound,
    firm: Firm,
    indicator: Indicator,
    assessor_role: str,
    score: Decimal,
    reason: str = "",
) -> tuple[Assessment, bool]:
    """Record one score; a second submission of the same key replaces the score (the old
    value stays in the history). Returns (assessment, created). No access checks: the
    callers (the grid through `assessment_submit`, bureau imports) make them."""
    # Lock the key's row if it exists: two submissions at once would both read "absent".
    assessment = (
        Assessment.objects.select_for_update()
        .filter(
            year=year,
            compound=compound,
            firm=firm,
            indicator=indicator,
            assessor_role=assessor_role,
        )
        .first()
    )
    created = assessment is None
    if created:
        assessment = Assessment(
            year=year,
            compound=compound,
            firm=firm,
            indicator=indicator,
            assessor_role=assessor_role,
        )
    elif assessment.score == score:
        return assessment, False
    assessment.score = score
    assessment.entered_by = user
    return record_save(assessment, user=user, reason=reason), created


@transaction.atomic
def assessment_submit(
    *,
    user: User,
    year: int,
    compound: Compound,
    firm: Firm,
    indicator: Indicator,
    score: Decimal,
    reason: str = "",
) -> Assessment:
    """A user scores one indicator of a compound in their own role: within their area, while
    the year's window is open; after it closes only bureau staff, with a reason."""
    role = assessor_role_for(user)
    if role is None or not may_assess(user, compound, indicator.code):
        raise ValidationError(
            _("You may not assess this compound or indicator."), code="not_allowed"
        )
    if not assessment_window_is_open(year=year):
        if user.role != Role.BUREAU:
            raise ValidationError(
                _("The assessment window of %(year)s is closed.") % {"year": year},
                code="window_closed",
            )
        if not reason.strip():
            raise ValidationError(
                {"reason": _("Give a reason for changing a score after the window closed.")},
                code="reason_required",
            )
    assessment, _created = assessment_save(
        user=user,
        year=year,
        compound=compound,
        firm=firm,
        indicator=indicator,
        assessor_role=role,
        score=score,
        reason=reason.strip(),
    )
    return assessment


# --- assessment entry: the grid and the reminders --------------------------------------------


def grid_cell_key(compound_id: int, indicator_code: str) -> str:
    """The name of a grid cell (and of its errors): `c<compound id>_<indicator code>`."""
    return f"c{compound_id}_{indicator_code}"


@transaction.atomic
def assessment_grid_submit(
    *,
    user: User,
    year: int,
    entries: Sequence[tuple[Compound, Indicator, Decimal]],
    reason: str = "",
) -> int:
    """Save a page of the assessment grid, all or nothing: each changed score through
    `assessment_submit` (unchanged ones are skipped). A refused cell does not stop the
    others from being checked; then a ValidationError keyed by `grid_cell_key` lists every
    refusal, and the transaction is rolled back. Returns the number of scores written."""
    role = assessor_role_for(user)
    if role is None:
        raise ValidationError(
            _("You may not assess this compound or indicator."), code="not_allowed"
        )
    if not assessment_window_is_open(year=year):
        if user.role != Role.BUREAU:
            raise ValidationError(
                _("The assessment window of %(year)s is closed.") % {"year": year},
                code="window_closed",
            )
        if not reason.strip():
            raise ValidationError(
                {"reason": _("Give a reason for changing a score after the window closed.")},
                code="reason_required",
            )
    saved = {
        (compound_id, firm_id, indicator_id): score
        for compound_id, firm_id, indicator_id, score in Assessment.objects.filter(
            year=year,
            assessor_role=role,
            compound_id__in={compound.pk for compound, _indicator, _score in entries},
        ).values_list("compound_id", "firm_id", "indicator_id", "score")
    }
    errors: dict[str, list[str]] = {}
    written = 0
    for compound, indicator, score in entries:
        if saved.get((compound.pk, compound.firm_id, indicator.pk)) == score:
            continue
        try:
            # A savepoint: after a refused row, PostgreSQL must go on checking the others.
            with transaction.atomic():
                assessment_submit(
                    user=user,
                    year=year,
                    compound=compound,
                    firm=compound.firm,
                    indicator=indicator,
                    score=score,
                    reason=reason,
                )
        except ValidationError as exc:
            errors[grid_cell_key(compound.pk, indicator.code)] = exc.messages
        else:
            written += 1
    if errors:
        raise ValidationError(errors)
    return written


def assessment_reminders_send(*, user: User | None, year: int, levels: Sequence[str]) -> int:
    """E-mail every street and/or community officer (with an e-mail address) whose area has
    compounds not yet scored in `year`: one message each, saying how many. Returns the number
    of messages sent. Officers of areas with nothing missing get nothing."""
    from django.core.mail import send_mass_mail

    from ..progress import laggard_counts

    area_field = {AssessorRole.STREET: "street_id", AssessorRole.COMMUNITY: "community_id"}
    messages = []
    for level in levels:
        missing = laggard_counts(year=year, level=level)
        if not missing:
            continue
        officers = (
            User.objects.filter(
                role=level, is_active=True, **{f"{area_field[level]}__in": list(missing)}
            )
            .exclude(email="")
            .order_by("pk")
        )
        for officer in officers:
            count = missing[getattr(officer, area_field[level])]
            subject = _("Reminder: %(count)s compounds await your assessment for %(year)s") % {
                "count": count,
                "year": year,
            }
            body = _(
                "Dear %(name)s,\n\n%(count)s compounds of your area have no assessment of "
                "%(year)s from you yet. Please sign in to the Property Supervision Portal and "
                "enter their scores before the assessment window closes.\n"
            ) % {"name": officer, "count": count, "year": year}
            messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, [officer.email]))
    sent = send_mass_mail(messages, fail_silently=False) if messages else 0
    logger.info("Assessment reminders of %s sent by %s: %d", year, getattr(user, "pk", None), sent)
    return sent
