"""Rules read from settings and the checks every write shares: money, roles, scope."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from companies.models import Compound
from portal.choices import Role
from portal.models import User
from portal.scoping import compound_filter

from ..models import CENT, FundAccount, Household

# ---------------------------------------------------------------- rules as settings


def notice_days() -> int:
    return settings.FUNDS_NOTICE_DAYS


def ordinary_publicity_days() -> int:
    return settings.FUNDS_ORDINARY_PUBLICITY_DAYS


def top_up_ratio() -> Decimal:
    return Decimal(settings.FUNDS_TOP_UP_RATIO)


# ---------------------------------------------------------------- checks


def clean_money(value, *, field: str = "amount", allow_zero: bool = False) -> Decimal:
    """A positive Decimal with at most two decimals, or a ValidationError on `field`."""
    if isinstance(value, (float, bool)):
        raise ValidationError({field: _("Enter the amount as a decimal number, not a float.")})
    try:
        amount = Decimal(str(value)) if not isinstance(value, Decimal) else value
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError({field: _("Enter a valid amount.")}) from exc
    if not amount.is_finite():
        raise ValidationError({field: _("Enter a valid amount.")})
    if amount != amount.quantize(CENT):
        raise ValidationError(
            {field: _("An amount has at most two decimals (yuan and fen).")}, code="decimals"
        )
    if amount < 0 or (amount == 0 and not allow_zero):
        raise ValidationError({field: _("The amount must be greater than zero.")}, code="min")
    return amount.quantize(CENT)


def _refuse(message: str, code: str = "not_allowed") -> ValidationError:
    return ValidationError(message, code=code)


def _require_bureau(user: User | None) -> None:
    if not (user and user.is_authenticated and user.role == Role.BUREAU):
        raise _refuse(_("Only bureau staff may do this."))


def _require_bureau_or_system(user: User | None) -> None:
    """Bureau staff, or the command line (user None: whoever runs manage.py is trusted)."""
    if user is not None:
        _require_bureau(user)


def _in_scope(user: User, compound: Compound) -> bool:
    return Compound.objects.filter(compound_filter(user), pk=compound.pk).exists()


def _require_applicant(user: User | None, compound: Compound) -> None:
    """The managing firm or the owners' committee of this compound."""
    if not (
        user
        and user.is_authenticated
        and user.role in (Role.FIRM, Role.OWNERS_COMMITTEE)
        and _in_scope(user, compound)
    ):
        raise _refuse(
            _("Only the managing firm or the owners' committee of %(compound)s may do this.")
            % {"compound": compound}
        )


def _account_of(compound: Compound) -> FundAccount:
    try:
        return compound.fund_account
    except FundAccount.DoesNotExist as exc:
        raise ValidationError(
            _("%(compound)s has no maintenance fund account.") % {"compound": compound},
            code="no_account",
        ) from exc


def _scope_households(account: FundAccount, *, scope: str, building: str, unit: str):
    households = Household.objects.filter(account=account).in_scope(
        scope=scope, building=building, unit=unit
    )
    if not households.exists():
        raise ValidationError(
            {"scope": _("No household of this account is in the chosen scope.")}, code="empty"
        )
    return households
