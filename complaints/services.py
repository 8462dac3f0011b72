"""Writes of the complaints: a hotline work order imported, a complaint entered by hand, an
address matched by a clerk (and remembered), the firm's answer, the community's verification.
Each records who did it in the history; nothing moves by itself when a deadline passes."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from companies.models import Compound
from portal.choices import Role
from portal.models import User
from portal.services import record_save, refusal

from .choices import (
    ANSWERED_REASON,
    CREATED_REASON,
    FORMULA_REASON,
    IMPORTED_REASON,
    MANUAL_PREFIX,
    MATCHED_REASON,
    VERIFIED_REASON,
    Source,
    Verification,
    answer_days,
    due_after,
    verify_days,
)
from .models import AddressMatch, Complaint, PetitionsFormula


def _text(value: str | None) -> str:
    return (value or "").strip()


def _local_date(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def _lock(complaint: Complaint) -> Complaint:
    return (
        Complaint.objects.select_for_update(of=("self",))
        .select_related("compound__community")
        .get(pk=complaint.pk)
    )


def may_enter_for(user: User, compound: Compound) -> bool:
    """The bureau for any compound; a street or community officer for their own area's."""
    match user.role:
        case Role.BUREAU:
            return True
        case Role.STREET:
            return compound.community.street_id == user.street_id
        case Role.COMMUNITY:
            return compound.community_id == user.community_id
    return False


def _assign(complaint: Complaint, compound: Compound, now: dt.datetime) -> None:
    """The compound's managing firm of the moment answers, within the working days counted
    from the later of the day received and the day assigned."""
    complaint.compound = compound
    complaint.firm_id = compound.firm_id
    if compound.firm_id:
        start = max(_local_date(complaint.received_at), _local_date(now))
        complaint.answer_due = due_after(start, answer_days())
    else:
        complaint.answer_due = None


def manual_number(now: dt.datetime) -> str:
    """SG-20240305-4F2A9C: the prefix says it was entered by hand, never a hotline number."""
    return f"{MANUAL_PREFIX}-{_local_date(now):%Y%m%d}-{secrets.token_hex(3).upper()}"


@transaction.atomic
def complaint_enter(
    *,
    user: User,
    compound: Compound,
    category: str,
    text: str,
    received_at: dt.datetime | None = None,
    address: str = "",
    now: dt.datetime | None = None,
) -> Complaint:
    """A complaint entered by hand (a visit, a letter, a call to the office)."""
    now = now or timezone.now()
    if not may_enter_for(user, compound):
        raise refusal(
            _("You may enter complaints only for compounds of your own area."),
            "out_of_area",
            "compound",
        )
    received_at = received_at or now
    if received_at > now:
        raise refusal(_("The time received cannot be in the future."), "future", "received_at")
    complaint = Complaint(
        order_number=manual_number(now),
        received_at=received_at,
        address=_text(address) or compound.name,
        category=_text(category),
        text=_text(text),
        source=Source.MANUAL,
        entered_by=user,
    )
    _assign(complaint, compound, now)
    return record_save(complaint, user=user, reason=CREATED_REASON)


def hotline_create(
    *, user: User | None, values: dict, compound: Compound | None, now: dt.datetime | None = None
) -> Complaint:
    """One new hotline work order (the import's row), matched or not."""
    now = now or timezone.now()
    complaint = Complaint(source=Source.HOTLINE, entered_by=user, **values)
    if compound is not None:
        _assign(complaint, compound, now)
    return record_save(complaint, user=user, reason=IMPORTED_REASON)


def hotline_update(*, user: User | None, complaint: Complaint, values: dict) -> Complaint:
    """A later export of the same order: the hotline's own columns may have moved on."""
    for name, value in values.items():
        setattr(complaint, name, value)
    return record_save(complaint, user=user, reason=IMPORTED_REASON)


@transaction.atomic
def address_match(
    *, user: User, address: str, compound: Compound, now: dt.datetime | None = None
) -> int:
    """A clerk matches a raw address to a compound: remembered for the next imports, and the
    unmatched complaints with that address are assigned now. Returns how many."""
    now = now or timezone.now()
    if user.role != Role.BUREAU:
        raise refusal(_("Only the bureau matches addresses."), "not_bureau")
    address = _text(address)
    if not address:
        raise refusal(_("The address is empty."), "empty", "address")
    match = AddressMatch.objects.select_for_update().filter(address=address).first()
    if match is None:
        match = AddressMatch(address=address, matched_by=user)
    match.compound = compound
    match.matched_by = user
    record_save(match, user=user, reason=MATCHED_REASON)
    waiting = Complaint.objects.select_for_update().filter(address=address, compound__isnull=True)
    count = 0
    for complaint in waiting:
        _assign(complaint, compound, now)
        record_save(complaint, user=user, reason=MATCHED_REASON)
        count += 1
    return count


@transaction.atomic
def complaint_answer(
    *, user: User, complaint: Complaint, answer: str, now: dt.datetime | None = None
) -> Complaint:
    """The assigned firm answers; the community then has its working days to verify."""
    now = now or timezone.now()
    complaint = _lock(complaint)
    if not (user.role == Role.FIRM and complaint.firm_id and user.firm_id == complaint.firm_id):
        raise refusal(_("Only the firm the complaint is assigned to may answer it."), "not_firm")
    if complaint.answered_at is not None:
        raise refusal(_("This complaint has already been answered."), "answered")
    if not _text(answer):
        raise refusal(_("Write the answer."), "required", "answer")
    complaint.answer = _text(answer)
    complaint.answered_at = now
    complaint.answered_by = user
    complaint.answered_on_time = _local_date(now) <= complaint.answer_due
    complaint.verify_due = due_after(_local_date(now), verify_days())
    return record_save(complaint, user=user, reason=ANSWERED_REASON)


@transaction.atomic
def complaint_verify(
    *,
    user: User,
    complaint: Complaint,
    verification: str,
    note: str = "",
    now: dt.datetime | None = None,
) -> Complaint:
    """The compound's community says whether the complaint was resolved."""
    now = now or timezone.now()
    complaint = _lock(complaint)
    if not (
        user.role == Role.COMMUNITY
        and complaint.compound_id
        and complaint.compound.community_id == user.community_id
    ):
        raise refusal(
            _("Only the community of the compound may verify this complaint."), "not_community"
        )
    if complaint.answered_at is None:
        raise refusal(_("The firm has not answered yet."), "not_answered")
    if complaint.verified_at is not None:
        raise refusal(_("This complaint has already been verified."), "verified")
    if verification not in Verification.values:
        raise refusal(_("Say whether it was resolved."), "invalid", "verification")
    if verification == Verification.NOT_RESOLVED and not _text(note):
        raise refusal(_("Say what is still not resolved."), "required", "note")
    complaint.verification = verification
    complaint.verify_note = _text(note)
    complaint.verified_at = now
    complaint.verified_by = user
    return record_save(complaint, user=user, reason=VERIFIED_REASON)


@transaction.atomic
def formula_save(*, user: User, year: int, **parameters) -> PetitionsFormula:
    """The bureau sets the parameters of a year's suggested petitions score."""
    if user.role != Role.BUREAU:
        raise refusal(_("Only the bureau sets the formula."), "not_bureau")
    formula = PetitionsFormula.objects.select_for_update().filter(year=year).first()
    formula = formula or PetitionsFormula(year=year)
    for name, value in parameters.items():
        setattr(formula, name, value)
    return record_save(formula, user=user, reason=FORMULA_REASON)
