"""The owners' vote thresholds of Civil Code art. 278 (pure functions, exact arithmetic).

Participation: owners holding at least 2/3 of the scope's floor area AND at least 2/3 of
its owners take part. Approval: more than half of the participating floor area AND more
than half of the participants; raising or topping up the fund needs at least 3/4 of the
participating area AND of the participants. "At least" (以上) includes the bound, "more than
half" (过半数) does not. Comparisons are done in integers/Decimals without division.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _


class VoteInputError(ValueError):
    """The vote figures contradict each other; `errors` maps field names to messages."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


@dataclass(frozen=True)
class VoteFigures:
    total_area: Decimal
    total_owners: int
    participating_area: Decimal
    participating_owners: int
    yes_area: Decimal
    yes_owners: int


@dataclass(frozen=True)
class VoteResult:
    participation_area_ok: bool
    participation_owners_ok: bool
    approval_area_ok: bool
    approval_owners_ok: bool
    reasons: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return (
            self.participation_area_ok
            and self.participation_owners_ok
            and self.approval_area_ok
            and self.approval_owners_ok
        )


def validate_figures(f: VoteFigures) -> None:
    """Refuse figures that cannot be: negatives, more yes than participants, and so on."""
    errors: dict[str, str] = {}
    for name in ("total_area", "participating_area", "yes_area"):
        value = getattr(f, name)
        if not isinstance(value, Decimal):
            errors[name] = _("Floor areas are decimal numbers.")
        elif value < 0:
            errors[name] = _("A floor area cannot be negative.")
    for name in ("total_owners", "participating_owners", "yes_owners"):
        if getattr(f, name) < 0:
            errors[name] = _("A number of owners cannot be negative.")
    if errors:
        raise VoteInputError(errors)
    if f.total_area <= 0:
        errors["total_area"] = _("The scope's total floor area must be positive.")
    if f.total_owners <= 0:
        errors["total_owners"] = _("The scope must have at least one owner.")
    if f.participating_area > f.total_area:
        errors["participating_area"] = _(
            "The participating floor area cannot exceed the total floor area."
        )
    if f.participating_owners > f.total_owners:
        errors["participating_owners"] = _(
            "The participating owners cannot outnumber all the owners."
        )
    if f.yes_area > f.participating_area:
        errors["yes_area"] = _("The floor area voting yes cannot exceed the participating area.")
    if f.yes_owners > f.participating_owners:
        errors["yes_owners"] = _("The owners voting yes cannot outnumber the participants.")
    if errors:
        raise VoteInputError(errors)


def check_article_278(f: VoteFigures, *, raises_fund: bool = False) -> VoteResult:
    """Whether the vote carries under art. 278; `reasons` says which threshold failed."""
    validate_figures(f)
    part_area = f.participating_area * 3 >= f.total_area * 2
    part_owners = f.participating_owners * 3 >= f.total_owners * 2
    if raises_fund:
        yes_area = f.yes_area * 4 >= f.participating_area * 3 and f.participating_area > 0
        yes_owners = f.yes_owners * 4 >= f.participating_owners * 3 and f.participating_owners > 0
    else:
        yes_area = f.yes_area * 2 > f.participating_area
        yes_owners = f.yes_owners * 2 > f.participating_owners
    reasons = []
    if not part_area:
        reasons.append(_("Less than two thirds of the floor area took part."))
    if not part_owners:
        reasons.append(_("Less than two thirds of the owners took part."))
    if not yes_area:
        reasons.append(
            _("Less than three quarters of the participating floor area voted yes.")
            if raises_fund
            else _("No more than half of the participating floor area voted yes.")
        )
    if not yes_owners:
        reasons.append(
            _("Less than three quarters of the participants voted yes.")
            if raises_fund
            else _("No more than half of the participants voted yes.")
        )
    return VoteResult(part_area, part_owners, yes_area, yes_owners, reasons)
