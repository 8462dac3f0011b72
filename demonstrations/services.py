"""Writes of the demonstration applications: the firm applies (or resubmits what was not
recommended), the community and then the street recommend or not, the bureau approves or
refuses. Each step only by its own officer; nothing moves by itself when a deadline passes
(no step is passed by silence). Approval marks the compound (companies) and may record the
firm's bonus credit event (credit), linked from the application."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from companies.models import Compound
from companies.services import compound_set_red_heart_year
from credit.choices import EventKind
from credit.publication import check_attachment, max_attachments
from credit.services.events import credit_event_create
from credit.workdays import working_days_after
from portal.choices import Role
from portal.models import User
from portal.services import record_save, refusal

from .choices import (
    BONUS_POINTS,
    COMMUNITY_REASON,
    DECIDED_REASON,
    OPEN_STATES,
    PUBLISHED_REASON,
    RED_HEART_REASON,
    RESUBMITTED_REASON,
    STANDARD_KEYS,
    STEP_WORKING_DAYS,
    STREET_REASON,
    SUBMITTED_REASON,
    State,
    Step,
)
from .models import Application, EvidenceFile, Publication


def _text(value: str | None) -> str:
    return (value or "").strip()


def due_for(step: str, now: dt.datetime) -> dt.date:
    return working_days_after(timezone.localdate(now), STEP_WORKING_DAYS[step])


def _lock(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("compound__community", "firm")
        .get(pk=application.pk)
    )


def _check_content(
    *,
    standards: Sequence[str],
    satisfaction: Decimal | None,
    files: Sequence[UploadedFile],
    has_evidence: bool = False,
) -> list[str]:
    missing = [key for key in STANDARD_KEYS if key not in set(standards)]
    if missing:
        raise refusal(
            _("A demonstration project meets every service standard: tick them all."),
            "standards",
            "standards",
        )
    if satisfaction is not None and not Decimal(0) <= satisfaction <= Decimal(100):
        raise refusal(_("Enter a percentage between 0 and 100."), "satisfaction", "satisfaction")
    if satisfaction is None and not files and not has_evidence:
        raise refusal(
            _("Give the owners' satisfaction as a figure or attach the survey as evidence."),
            "satisfaction_missing",
            "satisfaction",
        )
    if len(files) > max_attachments():
        raise refusal(_("At most %(n)s files.") % {"n": max_attachments()}, "files", "files")
    for upload in files:
        check_attachment(upload, field="files")
    return [key for key in STANDARD_KEYS if key in set(standards)]


def _approved_already(compound: Compound, year: int, exclude: int | None = None) -> bool:
    rows = Application.objects.filter(compound=compound, year=year, state=State.APPROVED)
    return rows.exclude(pk=exclude).exists() if exclude else rows.exists()


@transaction.atomic
def application_submit(
    *,
    user: User,
    compound: Compound,
    year: int,
    party_org: str,
    standards: Sequence[str],
    satisfaction: Decimal | None,
    description: str,
    files: Sequence[UploadedFile] = (),
    now: dt.datetime | None = None,
) -> Application:
    """A firm applies for a compound it manages; the community answers within its days."""
    # Lock the compound: the same firm applying twice at once for it.
    compound = Compound.objects.select_for_update(of=("self",)).get(pk=compound.pk)
    if not (user.role == Role.FIRM and user.firm_id and compound.firm_id == user.firm_id):
        raise refusal(
            _("A firm applies only for a compound it manages."), "not_managed", "compound"
        )
    if not 2000 <= int(year) <= 2100:
        raise refusal(_("Enter a year between 2000 and 2100."), "year", "year")
    if _approved_already(compound, year):
        raise refusal(
            _("This compound is a demonstration project of %(year)s already.") % {"year": year},
            "approved_already",
            "year",
        )
    if Application.objects.filter(
        compound=compound, year=year, state__in=[*OPEN_STATES, State.RETURNED]
    ).exists():
        raise refusal(
            _("An application for this compound and year is under way already."),
            "open_already",
            "year",
        )
    if not compound.has_party_org:
        raise refusal(
            _("The registry shows no Party organisation at this compound."),
            "no_party_org",
            "party_org",
        )
    party_org = _text(party_org)
    if not party_org:
        raise refusal(_("Name the Party organisation."), "party_org", "party_org")
    standards = _check_content(standards=standards, satisfaction=satisfaction, files=files)
    description = _text(description)
    if not description:
        raise refusal(_("Describe the project."), "description", "description")
    now = now or timezone.now()
    application = Application(
        compound=compound,
        firm_id=user.firm_id,
        year=year,
        party_org=party_org,
        standards=standards,
        satisfaction=satisfaction,
        description=description,
        submitted_by=user,
        submitted_at=now,
        due=due_for(Step.COMMUNITY, now),
    )
    record_save(application, user=user, reason=SUBMITTED_REASON)
    _save_files(application, files)
    return application


def _save_files(application: Application, files: Sequence[UploadedFile]) -> None:
    for upload in files:
        row = EvidenceFile(
            application=application, file=upload, name=upload.name[:200], size=upload.size
        )
        row.full_clean(exclude=["application"])
        row.save()


@transaction.atomic
def application_resubmit(
    *,
    user: User,
    application: Application,
    description: str,
    satisfaction: Decimal | None = None,
    files: Sequence[UploadedFile] = (),
    now: dt.datetime | None = None,
) -> Application:
    """The firm answers what was not recommended and sends the application to the community
    again."""
    # Lock: two clerks of the firm resubmitting at once.
    application = _lock(application)
    if not (user.role == Role.FIRM and user.firm_id == application.firm_id):
        raise refusal(_("Only the applying firm may do this."), "not_firm")
    if application.state != State.RETURNED:
        raise refusal(_("This application was not sent back."), "not_returned")
    if application.compound.firm_id != application.firm_id:
        raise refusal(_("Your firm no longer manages this compound."), "not_managed")
    if _approved_already(application.compound, application.year):
        raise refusal(
            _("This compound is a demonstration project of %(year)s already.")
            % {"year": application.year},
            "approved_already",
        )
    description = _text(description)
    if not description:
        raise refusal(_("Describe the project."), "description", "description")
    if satisfaction is None:
        satisfaction = application.satisfaction
    _check_content(
        standards=application.standards,
        satisfaction=satisfaction,
        files=files,
        has_evidence=application.files.exists(),
    )
    now = now or timezone.now()
    application.description = description
    application.satisfaction = satisfaction
    application.state = State.SUBMITTED
    application.submitted_at = now
    application.due = due_for(Step.COMMUNITY, now)
    application.returned_by_step = ""
    application.community_by = application.street_by = None
    application.community_at = application.street_at = None
    record_save(application, user=user, reason=RESUBMITTED_REASON)
    _save_files(application, files)
    return application


def _recommend(
    application: Application,
    *,
    user: User,
    recommend: bool,
    note: str,
    step: str,
    now: dt.datetime | None,
) -> Application:
    note = _text(note)
    if not recommend and not note:
        raise refusal(_("Give the reasons for not recommending it."), "reason_required", "note")
    now = now or timezone.now()
    if step == Step.COMMUNITY:
        application.community_by, application.community_at = user, now
        application.community_note = note
        next_state, next_step, reason = State.COMMUNITY_OK, Step.STREET, COMMUNITY_REASON
    else:
        application.street_by, application.street_at = user, now
        application.street_note = note
        next_state, next_step, reason = State.STREET_OK, Step.BUREAU, STREET_REASON
    if recommend:
        application.state = next_state
        application.due = due_for(next_step, now)
    else:
        application.state = State.RETURNED
        application.returned_by_step = step
        application.due = None
    return record_save(application, user=user, reason=reason)


@transaction.atomic
def community_recommend(
    *,
    user: User,
    application: Application,
    recommend: bool,
    note: str = "",
    now: dt.datetime | None = None,
) -> Application:
    """The compound's community recommends the application to the street, or not (reasons)."""
    # Lock: two officers of the community answering at once.
    application = _lock(application)
    if not (user.role == Role.COMMUNITY and user.community_id == application.compound.community_id):
        raise refusal(_("Only the community of the compound may do this."), "not_community")
    if application.state != State.SUBMITTED:
        raise refusal(_("This application is not waiting for the community."), "not_waiting")
    return _recommend(
        application, user=user, recommend=recommend, note=note, step=Step.COMMUNITY, now=now
    )


@transaction.atomic
def street_recommend(
    *,
    user: User,
    application: Application,
    recommend: bool,
    note: str = "",
    now: dt.datetime | None = None,
) -> Application:
    """The compound's street recommends the application to the bureau, or not (reasons)."""
    # Lock: two officers of the street answering at once.
    application = _lock(application)
    if not (
        user.role == Role.STREET and user.street_id == application.compound.community.street_id
    ):
        raise refusal(_("Only the street of the compound may do this."), "not_street")
    if application.state != State.COMMUNITY_OK:
        raise refusal(_("This application is not waiting for the street."), "not_waiting")
    return _recommend(
        application, user=user, recommend=recommend, note=note, step=Step.STREET, now=now
    )


@transaction.atomic
def application_decide(
    *,
    user: User,
    application: Application,
    approve: bool,
    note: str = "",
    bonus: bool = False,
    now: dt.datetime | None = None,
) -> Application:
    """The bureau approves (the compound becomes a demonstration project of the year, and with
    `bonus` the firm gets the rule set's bonus event, linked here) or refuses with reasons."""
    if not (user.is_authenticated and user.role == Role.BUREAU):
        raise refusal(_("Only bureau staff may do this."), "not_bureau")
    # Lock: two clerks deciding the same application at once.
    application = _lock(application)
    if application.state != State.STREET_OK:
        raise refusal(_("This application is not waiting for the bureau."), "not_waiting")
    note = _text(note)
    now = now or timezone.now()
    if not approve:
        if not note:
            raise refusal(_("Give the reasons for the refusal."), "reason_required", "note")
        if bonus:
            raise refusal(_("A refused application carries no bonus."), "bonus", "bonus")
        application.state = State.REFUSED
    else:
        if _approved_already(application.compound, application.year, exclude=application.pk):
            raise refusal(
                _("This compound is a demonstration project of %(year)s already.")
                % {"year": application.year},
                "approved_already",
            )
        application.state = State.APPROVED
        compound_set_red_heart_year(
            user=user,
            compound=application.compound,
            year=application.year,
            reason=RED_HEART_REASON,
        )
        if bonus:
            date = timezone.localdate(now)
            application.credit_event = credit_event_create(
                user=user,
                year=application.year,
                firm=application.firm,
                kind=EventKind.BONUS,
                points=BONUS_POINTS,
                date=min(
                    max(date, dt.date(application.year, 1, 1)), dt.date(application.year, 12, 31)
                ),
                reason=(
                    _("Red-heart demonstration project %(year)s: %(compound)s")
                    % {"year": application.year, "compound": application.compound.name}
                )[:500],
            )
    application.decided_by = user
    application.decided_at = now
    application.decision_note = note
    application.due = None
    return record_save(application, user=user, reason=DECIDED_REASON)


@transaction.atomic
def list_publish(*, user: User, year: int, now: dt.datetime | None = None) -> Publication:
    """The bureau publishes the year's list of approved projects (the public page shows it
    from then on, with any approved later)."""
    if not (user.is_authenticated and user.role == Role.BUREAU):
        raise refusal(_("Only bureau staff may do this."), "not_bureau")
    if Publication.objects.filter(year=year).exists():
        raise refusal(_("The list of %(year)s is published already.") % {"year": year}, "published")
    if not Application.objects.filter(year=year, state=State.APPROVED).exists():
        raise refusal(
            _("No demonstration project is approved for %(year)s.") % {"year": year}, "empty"
        )
    publication = Publication(year=year, published_at=now or timezone.now(), published_by=user)
    return record_save(publication, user=user, reason=PUBLISHED_REASON)
