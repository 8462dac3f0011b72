"""Ordinary use of the fund: publicity, the owners' vote, review and two payments."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from companies.models import Compound
from portal.models import User
from portal.services import record_save

from ..choices import NoticeKind, OrdinaryStatus, Scope
from ..models import CENT, OrdinaryApplication, OwnersVote, Posting
from ..voting import VoteFigures, VoteInputError, check_article_278
from .common import (
    _account_of,
    _require_applicant,
    _require_bureau,
    _scope_households,
    clean_money,
    notice_days,
    ordinary_publicity_days,
)
from .ledger import disbursement_post
from .notices import _notice, _shares_snapshot


def _lock_ordinary(application: OrdinaryApplication) -> OrdinaryApplication:
    # Two clerks paying or reviewing the same application at once would pay twice.
    return (
        OrdinaryApplication.objects.select_for_update()
        .select_related("compound")
        .get(pk=application.pk)
    )


def _require_ordinary_step(application: OrdinaryApplication, expected: str) -> None:
    if application.status != expected:
        raise ValidationError(
            _(
                "This step cannot be taken now: the application is at “%(status)s”. "
                "Steps cannot be skipped."
            )
            % {"status": application.get_status_display()},
            code="wrong_step",
        )


@transaction.atomic
def ordinary_file(
    *,
    user: User,
    compound: Compound,
    title: str,
    items: str,
    budget,
    scope: str = Scope.COMPOUND,
    building: str = "",
    unit: str = "",
    raises_fund: bool = False,
    publicity_days: int | None = None,
    publicity_start: dt.date | None = None,
) -> OrdinaryApplication:
    """The firm or the owners' committee applies; the plan is publicised to the owners.

    `publicity_start` (default today) may lie in the past when the plan was already posted
    on the compound's notice board; never in the future.
    """
    _require_applicant(user, compound)
    budget = clean_money(budget, field="budget")
    minimum = ordinary_publicity_days()
    days = publicity_days or minimum
    if days < minimum:
        raise ValidationError(
            {
                "publicity_days": _("The plan must be publicised for at least %(n)s days.")
                % {"n": minimum}
            }
        )
    account = _account_of(compound)
    start = publicity_start or timezone.localdate()
    if start > timezone.localdate():
        raise ValidationError({"publicity_start": _("The publicity cannot start in the future.")})
    application = OrdinaryApplication(
        compound=compound,
        title=title,
        items=items,
        budget=budget,
        scope=scope,
        building=building,
        unit=unit,
        raises_fund=raises_fund,
        publicity_start=start,
        publicity_end=start + dt.timedelta(days=days - 1),
        filed_by=user,
    )
    application.full_clean()
    _scope_households(
        account, scope=application.scope, building=application.building, unit=application.unit
    )
    record_save(application, user=user)
    _notice(
        user=user,
        compound=compound,
        kind=NoticeKind.ORDINARY_PLAN,
        title=_("Plan for the use of the maintenance fund: %(title)s") % {"title": title},
        body=_("Items: %(items)s\nScope: %(scope)s. Budget: %(budget)s yuan.")
        % {"items": items, "scope": application.scope_label, "budget": budget},
        days=days,
        start=start,
        amount=budget,
        ordinary=application,
    )
    return application


@transaction.atomic
def ordinary_record_vote(
    *,
    user: User,
    application: OrdinaryApplication,
    total_area: Decimal,
    total_owners: int,
    participating_area: Decimal,
    participating_owners: int,
    yes_area: Decimal,
    yes_owners: int,
) -> OwnersVote:
    """Record the owners' vote once the publicity is over; a failed vote ends the application."""
    application = _lock_ordinary(application)
    _require_applicant(user, application.compound)
    _require_ordinary_step(application, OrdinaryStatus.PUBLICISED)
    if timezone.localdate() <= application.publicity_end:
        raise ValidationError(
            _("The vote can be recorded after the publicity ends on %(date)s.")
            % {"date": application.publicity_end.isoformat()},
            code="publicity",
        )
    figures = VoteFigures(
        total_area=total_area,
        total_owners=total_owners,
        participating_area=participating_area,
        participating_owners=participating_owners,
        yes_area=yes_area,
        yes_owners=yes_owners,
    )
    try:
        result = check_article_278(figures, raises_fund=application.raises_fund)
    except VoteInputError as exc:
        raise ValidationError(exc.errors, code="vote") from exc
    vote = record_save(
        OwnersVote(
            application=application,
            **figures.__dict__,
            passed=result.passed,
            reasons="\n".join(result.reasons),
            recorded_by=user,
        ),
        user=user,
    )
    application.status = OrdinaryStatus.VOTED if result.passed else OrdinaryStatus.VOTE_FAILED
    record_save(application, user=user, reason="vote recorded")
    return vote


@transaction.atomic
def ordinary_review(
    *, user: User, application: OrdinaryApplication, approve: bool, comment: str = ""
) -> OrdinaryApplication:
    """The bureau approves the voted application or returns it with comments."""
    _require_bureau(user)
    application = _lock_ordinary(application)
    _require_ordinary_step(application, OrdinaryStatus.VOTED)
    if not approve and not comment.strip():
        raise ValidationError({"comment": _("Say why the application is returned.")})
    application.status = OrdinaryStatus.APPROVED if approve else OrdinaryStatus.RETURNED
    application.reviewed_at, application.reviewed_by = timezone.now(), user
    application.review_comment = comment.strip()
    return record_save(application, user=user, reason="reviewed")


def first_payment_amount(application: OrdinaryApplication) -> Decimal:
    return (application.budget * application.first_payment_ratio).quantize(
        CENT, rounding=ROUND_HALF_UP
    )


@transaction.atomic
def ordinary_pay_first(*, user: User, application: OrdinaryApplication) -> Posting:
    """The first payment (70% of the budget by default), shared by floor area."""
    _require_bureau(user)
    application = _lock_ordinary(application)
    _require_ordinary_step(application, OrdinaryStatus.APPROVED)
    posting = disbursement_post(
        user=user,
        account=_account_of(application.compound),
        amount=first_payment_amount(application),
        scope=application.scope,
        building=application.building,
        unit=application.unit,
        memo=_("First payment: %(title)s") % {"title": application.title},
        ordinary=application,
    )
    application.status = OrdinaryStatus.FIRST_PAID
    record_save(application, user=user, reason="first payment")
    return posting


@transaction.atomic
def ordinary_accept(
    *, user: User, application: OrdinaryApplication, final_cost
) -> OrdinaryApplication:
    """The owners' side accepts the finished work and states its final cost."""
    application = _lock_ordinary(application)
    _require_applicant(user, application.compound)
    _require_ordinary_step(application, OrdinaryStatus.FIRST_PAID)
    final_cost = clean_money(final_cost, field="final_cost")
    paid = first_payment_amount(application)
    if final_cost < paid:
        raise ValidationError(
            {
                "final_cost": _("The final cost cannot be less than the first payment (%(paid)s).")
                % {"paid": paid}
            }
        )
    if final_cost > application.budget:
        raise ValidationError(
            {
                "final_cost": _("The final cost cannot exceed the approved budget (%(budget)s).")
                % {"budget": application.budget}
            }
        )
    application.final_cost = final_cost
    application.accepted_at, application.accepted_by = timezone.now(), user
    application.status = OrdinaryStatus.ACCEPTED
    return record_save(application, user=user, reason="accepted")


@transaction.atomic
def ordinary_pay_final(*, user: User, application: OrdinaryApplication) -> OrdinaryApplication:
    """The final payment, then the result notice to the owners (at least 10 days)."""
    _require_bureau(user)
    application = _lock_ordinary(application)
    _require_ordinary_step(application, OrdinaryStatus.ACCEPTED)
    rest = application.final_cost - first_payment_amount(application)
    if rest > 0:
        disbursement_post(
            user=user,
            account=_account_of(application.compound),
            amount=rest,
            scope=application.scope,
            building=application.building,
            unit=application.unit,
            memo=_("Final payment: %(title)s") % {"title": application.title},
            ordinary=application,
        )
    application.status = OrdinaryStatus.CLOSED
    record_save(application, user=user, reason="final payment")
    _notice(
        user=user,
        compound=application.compound,
        kind=NoticeKind.ORDINARY_RESULT,
        title=_("Result of the use of the maintenance fund: %(title)s")
        % {"title": application.title},
        body=_("Items: %(items)s\nScope: %(scope)s. Final cost: %(cost)s yuan.")
        % {
            "items": application.items,
            "scope": application.scope_label,
            "cost": application.final_cost,
        },
        days=notice_days(),
        amount=application.final_cost,
        shares=_shares_snapshot(application.postings.all()),
        ordinary=application,
    )
    return application
