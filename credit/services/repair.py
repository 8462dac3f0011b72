"""Credit repair (信用修复) and the working-day calendar it is counted on.

A firm on the current published black list applies with what it rectified and evidence files;
the bureau decides within the year's rule set's `repair_decision_days` working days. Approval
publishes a new version of the year's lists without the firm, made as every version is (the
canonical JSON of credit.publication and its SHA-256), with the change note "信用修复".

The reads of these pages live here too, beside the writes they mirror (who may see which
application, the files, what waits for the bureau)."""

from __future__ import annotations

import datetime as dt
import json

from django.core.cache import cache
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import BooleanField, Count, ExpressionWrapper, Min, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from companies.models import Firm
from portal.choices import Role
from portal.models import User
from portal.scoping import is_bureau, is_signed_in
from portal.services import record_save, refusal

from .. import selectors
from ..choices import PUBLISHED_REASON
from ..models import (
    CalendarDay,
    DayKind,
    Publication,
    PublicationVersion,
    RepairApplication,
    RepairEvidence,
    RepairStatus,
)
from ..publication import (
    CONTENT_FORMAT,
    canonical_json,
    check_attachment,
    max_attachments,
    sha256_hex,
)
from ..workdays import late_decision_reason, working_days_after

# The change note of the version an approval publishes. Written in the city's language, not
# the reader's: it is part of the frozen, hashed content of the public list.
REPAIR_CHANGE_NOTE = "信用修复"
# The reasons recorded in the history: "<state> → <state>" (portal/history.py labels them).
APPROVED_REASON = f"{RepairStatus.PENDING} → {RepairStatus.APPROVED}"
REFUSED_REASON = f"{RepairStatus.PENDING} → {RepairStatus.REFUSED}"
BLACK_CODES_SECONDS = 24 * 3600


def _bureau_only(user: User | None) -> None:
    if user is not None and not is_bureau(user):
        raise refusal(_("Only bureau staff may do this."), "not_allowed")


# --- reads -----------------------------------------------------------------------------------


def can_see_repairs(user: User) -> bool:
    """The bureau decides every application; a firm sees its own."""
    return is_bureau(user) or (is_signed_in(user) and user.role == Role.FIRM)


def newest_version() -> PublicationVersion | None:
    """The version the public red and black list shows first: the latest year's latest."""
    return (
        PublicationVersion.objects.select_related("publication", "run__rule_set")
        .defer("content")
        .order_by("-publication__year", "-number")
        .first()
    )


def black_listed_codes(version: PublicationVersion) -> frozenset[str]:
    """The credit codes on a version's black list, as its frozen content lists them (what the
    public list shows). Cached per version: a published version never changes."""
    key = f"credit:repair:black:{version.pk}"
    codes = cache.get(key)
    if codes is None:
        content = selectors.version_content(pk=version.pk)
        codes = frozenset(row["credit_code"] for row in content["black_list"])
        cache.set(key, codes, BLACK_CODES_SECONDS)
    return codes


def black_listing_of(firm: Firm) -> PublicationVersion | None:
    """The newest published version when it has the firm on its black list, else None."""
    version = newest_version()
    if version is None or firm.credit_code not in black_listed_codes(version):
        return None
    return version


def repair_applications_for_user(*, user: User) -> QuerySet[RepairApplication]:
    queryset = RepairApplication.objects.select_related(
        "firm", "publication", "published_version"
    ).order_by("-filed_at", "-pk")
    if is_bureau(user):
        return queryset
    if is_signed_in(user) and user.role == Role.FIRM:
        return queryset.filter(firm_id=user.firm_id)
    return queryset.none()


def repair_applications_in_state(
    queryset: QuerySet[RepairApplication], *, state: str, today: dt.date
) -> QuerySet[RepairApplication]:
    """The applications of `queryset` in a RepairStatus (all for ""), each marked `overdue`:
    still pending after its decision date."""
    late = Q(status=RepairStatus.PENDING, decide_by__lt=today)
    queryset = queryset.annotate(overdue=ExpressionWrapper(late, output_field=BooleanField()))
    if state in RepairStatus.values:
        return queryset.filter(status=state)
    return queryset


def repair_application_get_for_user(*, user: User, pk: int) -> RepairApplication:
    try:
        return (
            repair_applications_for_user(user=user)
            .select_related("filed_by", "decided_by", "version")
            .prefetch_related("evidence")
            .get(pk=pk)
        )
    except RepairApplication.DoesNotExist:
        raise Http404(_("No such application.")) from None


def repair_evidence_for_user(*, user: User) -> QuerySet[RepairEvidence]:
    """The evidence files of the applications the user may read (portal/files.py)."""
    return RepairEvidence.objects.filter(
        application__in=repair_applications_for_user(user=user).values("pk")
    )


def repair_history(application: RepairApplication) -> QuerySet:
    return application.history.select_related("history_user").order_by(
        "-history_date", "-history_id"
    )


def repairs_awaiting_decision(*, today: dt.date) -> dict:
    """The pending applications: `count`, `overdue` (past their decision date), `first_due`."""
    return RepairApplication.objects.filter(status=RepairStatus.PENDING).aggregate(
        count=Count("pk"),
        overdue=Count("pk", filter=Q(decide_by__lt=today)),
        first_due=Min("decide_by"),
    )


def calendar_days_of(*, year: int) -> QuerySet[CalendarDay]:
    return CalendarDay.objects.filter(date__year=year).order_by("date")


# --- the working-day calendar ----------------------------------------------------------------


@transaction.atomic
def calendar_day_add(*, user: User | None, date: dt.date, kind: str, name: str) -> CalendarDay:
    """Name a date a holiday or a make-up working day; a date is named once."""
    _bureau_only(user)
    if kind not in DayKind.values:
        raise refusal(_("Choose a holiday or a make-up working day."), "kind", "kind")
    if CalendarDay.objects.filter(date=date).exists():
        raise refusal(
            _("%(date)s is in the calendar already: delete it first to change it.")
            % {"date": date.isoformat()},
            "exists",
            "date",
        )
    try:
        # Two clerks adding the same date at once: the unique date lets one of them win.
        with transaction.atomic():
            return record_save(
                CalendarDay(date=date, kind=kind, name=(name or "").strip(), created_by=user),
                user=user,
            )
    except IntegrityError:
        raise refusal(
            _("%(date)s is in the calendar already.") % {"date": date.isoformat()}, "exists", "date"
        ) from None


@transaction.atomic
def calendar_day_delete(*, user: User | None, day: CalendarDay) -> None:
    """Remove a date from the calendar (the history keeps who removed it). Deadlines already
    set stay as they were."""
    _bureau_only(user)
    day._history_user = user
    day.delete()


# --- applications ----------------------------------------------------------------------------


def _check_evidence(evidence) -> None:
    if not evidence:
        raise refusal(_("Attach at least one file showing the rectification."), "no_file", "files")
    if len(evidence) > max_attachments():
        raise refusal(
            _("At most %(n)s files.") % {"n": max_attachments()}, "too_many_files", "files"
        )
    for upload in evidence:
        check_attachment(upload, field="files")


@transaction.atomic
def repair_application_file(
    *,
    user: User,
    rectification: str,
    evidence: list[UploadedFile] | tuple = (),
    now: dt.datetime | None = None,
) -> RepairApplication:
    """A firm on the current published black list applies for credit repair; the bureau is
    to decide within the rule set's working days, counted from today on the calendar."""
    if not (is_signed_in(user) and user.role == Role.FIRM and user.firm_id):
        raise refusal(_("Only a firm may apply for credit repair, for itself."), "not_firm")
    # Lock the firm's row: two applications sent at once must not both pass the checks below.
    firm = Firm.objects.select_for_update().get(pk=user.firm_id)
    version = black_listing_of(firm)
    if version is None:
        raise refusal(
            _("Your firm is not on the current published black list: there is nothing to repair."),
            "not_black_listed",
        )
    if RepairApplication.objects.filter(firm=firm, status=RepairStatus.PENDING).exists():
        raise refusal(
            _("Your firm has an application awaiting the bureau's decision already."),
            "pending_exists",
        )
    rectification = (rectification or "").strip()
    if not rectification:
        raise refusal(_("Say what your firm rectified."), "text_required", "rectification")
    _check_evidence(evidence)
    now = now or timezone.now()
    days = version.run.rule_set.repair_decision_days
    application = record_save(
        RepairApplication(
            publication=version.publication,
            version=version,
            firm=firm,
            rectification=rectification,
            filed_by=user,
            filed_at=now,
            decide_by=working_days_after(timezone.localdate(now), days),
        ),
        user=user,
    )
    for upload in evidence:
        file = RepairEvidence(
            application=application, file=upload, name=upload.name[:200], size=upload.size
        )
        file.full_clean()
        file.save()
    return application


def _lock_pending(application: RepairApplication) -> RepairApplication:
    # Lock: two clerks deciding the same application at once; the second finds it decided.
    application = (
        RepairApplication.objects.select_for_update(of=("self",))
        .select_related("firm")
        .get(pk=application.pk)
    )
    if not application.is_pending:
        raise refusal(_("This application has been decided already."), "decided")
    return application


def _version_without(
    *, publication: Publication, firm: Firm, user: User | None, now: dt.datetime
) -> PublicationVersion:
    """Publish the next version of the publication: the latest one's lists without the firm
    on the black list, hashed as every version is."""
    last = publication.versions.order_by("-number").first()
    data = json.loads(last.content)
    black = [row for row in data["black_list"] if row["credit_code"] != firm.credit_code]
    if data.get("format") != CONTENT_FORMAT or len(black) == len(data["black_list"]):
        raise refusal(
            _("The firm is no longer on the latest published black list."), "not_black_listed"
        )
    number = last.number + 1
    # The note names no firm: the public list of this version shows the firm nowhere.
    note = REPAIR_CHANGE_NOTE
    data.update(
        version=number,
        published_at=timezone.localtime(now).isoformat(timespec="seconds"),
        change_note=note,
        black_list=black,
    )
    content = canonical_json(data)
    version = PublicationVersion(
        publication=publication,
        number=number,
        run_id=last.run_id,
        published_at=now,
        published_by=user,
        change_note=note,
        content=content,
        digest=sha256_hex(content),
    )
    version.full_clean()
    version.save()
    # The public pages and the list of versions are kept in the shared cache: forget them.
    selectors.public_pages_changed()
    record_save(publication, user=user, reason=f"{PUBLISHED_REASON} #{number}")
    return version


@transaction.atomic
def repair_application_approve(
    *,
    user: User | None,
    application: RepairApplication,
    delay_reason: str = "",
    now: dt.datetime | None = None,
) -> RepairApplication:
    """Approve: the year's lists are published again, as a new version without the firm on
    the black list. Past the decision date, with the reason for the delay. `now`: a past
    moment when the demo replays a year."""
    _bureau_only(user)
    application = _lock_pending(application)
    now = (now or timezone.now()).replace(microsecond=0)
    application.delay_reason = late_decision_reason(
        decide_by=application.decide_by,
        today=timezone.localdate(now),
        delay_reason=delay_reason,
    )
    # Lock the publication: an approval and another publication must not both make version n+1.
    publication = Publication.objects.select_for_update().get(pk=application.publication_id)
    version = _version_without(publication=publication, firm=application.firm, user=user, now=now)
    application.status = RepairStatus.APPROVED
    application.decided_by = user
    application.decided_at = now
    application.published_version = version
    return record_save(application, user=user, reason=APPROVED_REASON)


@transaction.atomic
def repair_application_refuse(
    *,
    user: User | None,
    application: RepairApplication,
    reasons: str,
    delay_reason: str = "",
    now: dt.datetime | None = None,
) -> RepairApplication:
    """Refuse, with the reasons the firm reads; the firm stays on the list and may apply again.
    Past the decision date, with the reason for the delay."""
    _bureau_only(user)
    reasons = (reasons or "").strip()
    if not reasons:
        raise refusal(_("Give the reasons for refusing the application."), "reasons", "reasons")
    application = _lock_pending(application)
    now = now or timezone.now()
    application.delay_reason = late_decision_reason(
        decide_by=application.decide_by,
        today=timezone.localdate(now),
        delay_reason=delay_reason,
    )
    application.status = RepairStatus.REFUSED
    application.reasons = reasons
    application.decided_by = user
    application.decided_at = now
    return record_save(application, user=user, reason=REFUSED_REASON)
