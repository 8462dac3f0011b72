"""Writes of the publication side of the credit app: the publicity notice (公示), objections
(异议), published versions of the red and black lists, and the notices that follow them.

Kept beside services.py (which holds rule sets, inputs and the rating batch) so that neither
module grows past a readable size; the same conventions apply: keyword-only arguments, the
acting user passed in, atomic, validated, recorded in the history."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from portal.choices import Role
from portal.models import User
from portal.services import record_save, refusal

from . import selectors
from .choices import PUBLISHED_REASON, RUN_REASON, Grade, RunStatus
from .models import (
    ATTACHMENT_EXTENSIONS,
    CreditNotice,
    NoticeKind,
    Objection,
    ObjectionAttachment,
    ObjectionStatus,
    Publication,
    PublicationStatus,
    PublicationVersion,
    Rating,
    RatingRun,
    RepairApplication,
    RepairStatus,
)
from .services import rule_set_freeze

CONTENT_FORMAT = 1


def attachment_max_bytes() -> int:
    return settings.CREDIT_ATTACHMENT_MAX_BYTES


def max_attachments() -> int:
    return settings.CREDIT_MAX_ATTACHMENTS


def rectification_days() -> int:
    """Days a firm on the black list has to rectify (整改期限)."""
    return settings.CREDIT_RECTIFICATION_DAYS


def check_attachment(upload: UploadedFile, *, field: str = "attachments") -> None:
    """A pdf, jpg or png no larger than the limit; anything else is refused."""
    name = upload.name or ""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in ATTACHMENT_EXTENSIONS:
        raise refusal(
            _("%(name)s: only PDF, JPG and PNG files are accepted.") % {"name": name},
            "attachment_type",
            field,
        )
    if upload.size > attachment_max_bytes():
        raise refusal(
            _("%(name)s is larger than %(mb)s MB.")
            % {"name": name, "mb": round(attachment_max_bytes() / 1024 / 1024, 1)},
            "attachment_size",
            field,
        )


# --- the frozen content ----------------------------------------------------------------------


def canonical_json(data: Any) -> str:
    """One text for one content: sorted keys, no spaces, UTF-8 characters as they are."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _list_entry(row: dict) -> dict:
    return {
        "rank": row["rank"],
        "credit_code": row["firm__credit_code"],
        "name": row["firm__name"],
        "score": None if row["score"] is None else f"{row['score']:.2f}",
        "grade": row["grade"],
        "vetoed": row["vetoed"],
        "compounds": row["compounds"],
    }


def lists_content(
    *, year: int, run: RatingRun, number: int, published_at: dt.datetime, change_note: str
) -> dict:
    """The red list (grade A) and black list (grade D) of a run, in rank order, with each
    firm's managed compounds counted now; one query whatever the number of firms. A firm whose
    credit repair (信用修复) of the year was approved stays off the black list."""
    repaired = RepairApplication.objects.filter(
        status=RepairStatus.APPROVED, publication__year=year
    ).values("firm_id")
    rows = (
        Rating.objects.filter(run=run, grade__in=[Grade.A, Grade.D])
        .exclude(grade=Grade.D, firm_id__in=repaired)
        .values("rank", "score", "grade", "vetoed", "firm__credit_code", "firm__name")
        .annotate(compounds=Count("firm__compounds"))
        .order_by(F("rank").asc(nulls_last=True), "firm__credit_code")
    )
    red, black = [], []
    for row in rows:
        (red if row["grade"] == Grade.A else black).append(_list_entry(row))
    rule_set = run.rule_set
    return {
        "format": CONTENT_FORMAT,
        "year": year,
        "version": number,
        "published_at": timezone.localtime(published_at).isoformat(timespec="seconds"),
        "change_note": change_note,
        "thresholds": {
            "A": f"{rule_set.threshold_a:.2f}",
            "B": f"{rule_set.threshold_b:.2f}",
            "C": f"{rule_set.threshold_c:.2f}",
        },
        "red_list": red,
        "black_list": black,
    }


# --- publicity ---------------------------------------------------------------------------


def _bureau_only(user: User | None) -> None:
    if user is not None and user.role != Role.BUREAU:
        raise refusal(_("Only bureau staff may do this."), "not_allowed")


@transaction.atomic
def publication_create(
    *, user: User | None, run: RatingRun, now: dt.datetime | None = None
) -> Publication:
    """Open the publicity period (公示) of a finished run's red and black lists; it lasts the
    rule set's publicity days from now (`now`: a past moment when the demo replays a year)."""
    _bureau_only(user)
    if run.status != RunStatus.FINISHED:
        raise refusal(_("Only a finished rating run can be published."), "run_not_finished")
    if Publication.objects.filter(year=run.year).exists():
        raise refusal(
            _(
                "The lists of %(year)s have a publicity notice already: point it at the new "
                "run instead."
            )
            % {"year": run.year},
            "exists",
        )
    publication = Publication(
        year=run.year,
        run=run,
        period_start=now or timezone.now(),
        publicity_days=run.rule_set.publicity_days,
        created_by=user,
    )
    try:
        # Two clerks opening the same year at once: the unique year lets one of them win.
        with transaction.atomic():
            publication = record_save(publication, user=user)
    except IntegrityError:
        raise refusal(
            _("The lists of %(year)s have a publicity notice already.") % {"year": run.year},
            "exists",
        ) from None
    selectors.public_pages_changed()  # the proposed lists appear on the public page
    return publication


def _lock(publication: Publication) -> Publication:
    return (
        # Only the publication's row: the run and rule set are read, not locked.
        Publication.objects.select_for_update(of=("self",))
        .select_related("run__rule_set")
        .get(pk=publication.pk)
    )


@transaction.atomic
def publication_set_run(
    *, user: User | None, publication: Publication, run: RatingRun, reason: str = ""
) -> Publication:
    """Point the publication at a newer finished run of its year (after inputs were corrected
    following an accepted objection). Once published, the next publication is a new version."""
    _bureau_only(user)
    # Lock: a clerk publishing at this moment must publish either the old run or the new one.
    publication = _lock(publication)
    if run.year != publication.year or run.status != RunStatus.FINISHED:
        raise refusal(
            _("Choose a finished rating run of %(year)s.") % {"year": publication.year},
            "run_invalid",
            "run",
        )
    if run.pk == publication.run_id:
        raise refusal(_("The publication already shows this run."), "same_run", "run")
    publication.run = run
    selectors.public_pages_changed()  # the proposed lists are the new run's
    return record_save(publication, user=user, reason=reason or f"{RUN_REASON} #{run.pk}")


# --- objections ------------------------------------------------------------------------------


def in_period(publication: Publication, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    return publication.is_publicity and publication.period_start <= now < publication.period_end


@transaction.atomic
def objection_file(
    *,
    user: User,
    publication: Publication,
    rating: Rating,
    text: str,
    attachments: Sequence[UploadedFile] = (),
) -> Objection:
    """A firm user objects to its own firm's proposed rating, during the publicity period."""
    # Lock the publication: an objection and the publication of the lists must not cross.
    publication = _lock(publication)
    if user.role != Role.FIRM or rating.firm_id != user.firm_id:
        raise refusal(_("A firm may object to its own rating only."), "not_own")
    if rating.run_id != publication.run_id:
        raise refusal(_("This rating is not the one under publicity."), "not_in_publication")
    if not in_period(publication):
        raise refusal(
            _("Objections are accepted only during the publicity period."), "outside_period"
        )
    text = (text or "").strip()
    if not text:
        raise refusal(_("Say what you object to."), "text_required", "text")
    if len(attachments) > max_attachments():
        raise refusal(
            _("At most %(n)s files.") % {"n": max_attachments()}, "too_many_files", "attachments"
        )
    for upload in attachments:
        check_attachment(upload)
    objection = record_save(
        Objection(
            publication=publication,
            rating=rating,
            firm_id=rating.firm_id,
            text=text,
            filed_by=user,
            filed_at=timezone.now(),
        ),
        user=user,
    )
    for upload in attachments:
        attachment = ObjectionAttachment(
            objection=objection, file=upload, name=upload.name[:200], size=upload.size
        )
        attachment.full_clean()
        attachment.save()
    selectors.public_pages_changed()  # the proposed lists mark the objection pending
    return objection


@transaction.atomic
def objection_answer(
    *, user: User | None, objection: Objection, accept: bool, answer: str
) -> Objection:
    """The bureau's answer: accepted (inputs are then corrected and the year re-rated) or
    rejected, with the reason."""
    _bureau_only(user)
    # Lock: two clerks answering the same objection at once; the second sees it answered.
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    if not objection.is_pending:
        raise refusal(_("This objection has been answered already."), "answered")
    answer = (answer or "").strip()
    if not accept and not answer:
        raise refusal(
            _("Give the reason for rejecting the objection."), "reason_required", "answer"
        )
    objection.status = ObjectionStatus.ACCEPTED if accept else ObjectionStatus.REJECTED
    objection.answer = answer
    objection.answered_by = user
    objection.answered_at = timezone.now()
    selectors.public_pages_changed()  # no longer pending on the proposed lists
    return record_save(objection, user=user)


# --- publishing ------------------------------------------------------------------------------


@transaction.atomic
def publication_publish(
    *,
    user: User | None,
    publication: Publication,
    change_note: str = "",
    now: dt.datetime | None = None,
) -> PublicationVersion:
    """Publish the lists of the publication's run as a new, frozen version: after the
    publicity period, with no objection pending; a correction needs a change note. Freezes
    the rule set of the run. `now`: a past moment when the demo replays a year."""
    _bureau_only(user)
    # Lock: two clerks pressing "publish" at once would both create version n+1.
    publication = _lock(publication)
    now = (now or timezone.now()).replace(microsecond=0)
    if publication.is_publicity and now < publication.period_end:
        raise refusal(
            _("The publicity period runs until %(end)s: publish after it ends.")
            % {"end": timezone.localtime(publication.period_end).strftime("%Y-%m-%d %H:%M")},
            "period_not_over",
        )
    pending = publication.objections.filter(status=ObjectionStatus.PENDING).count()
    if pending:
        raise refusal(
            _("%(n)s objection(s) await an answer: answer them before publishing.")
            % {"n": pending},
            "objections_pending",
        )
    last = publication.versions.order_by("-number").first()
    if last is not None and last.run_id == publication.run_id:
        raise refusal(
            _(
                "Version %(n)s already publishes this run: re-rate and point the publication at "
                "the new run to correct it."
            )
            % {"n": last.number},
            "already_published",
        )
    change_note = (change_note or "").strip()
    if last is not None and not change_note:
        raise refusal(_("Say what this correction changes."), "change_note_required", "change_note")
    number = 1 if last is None else last.number + 1
    content = canonical_json(
        lists_content(
            year=publication.year,
            run=publication.run,
            number=number,
            published_at=now,
            change_note=change_note,
        )
    )
    version = PublicationVersion(
        publication=publication,
        number=number,
        run=publication.run,
        published_at=now,
        published_by=user,
        change_note=change_note,
        content=content,
        digest=sha256_hex(content),
    )
    version.full_clean()
    version.save()
    # The public pages and the list of versions are kept in the shared cache: forget them.
    selectors.public_pages_changed()
    publication.status = PublicationStatus.PUBLISHED
    record_save(publication, user=user, reason=f"{PUBLISHED_REASON} #{number}")
    rule_set_freeze(user=user, rule_set=publication.run.rule_set)
    return version


# --- notices ---------------------------------------------------------------------------------


@transaction.atomic
def notices_issue(
    *, user: User | None, publication: Publication, now: dt.datetime | None = None
) -> int:
    """Commendation notices to the red list's firms and rectification notices (with a
    deadline and more frequent spot checks) to the black list's, from the latest published
    version; firms that have theirs already are skipped. Returns the number issued. `now`:
    a past moment when the demo replays a year."""
    _bureau_only(user)
    # Lock: two clerks issuing at once would both find the same firms without a notice.
    publication = _lock(publication)
    version = publication.versions.order_by("-number").first()
    if version is None:
        raise refusal(_("Publish the lists before issuing notices."), "not_published")
    existing = set(publication.notices.values_list("firm_id", "kind"))
    now = now or timezone.now()
    deadline = timezone.localdate(now) + dt.timedelta(days=rectification_days())
    notices = []
    rows = list(
        Rating.objects.filter(run_id=version.run_id, grade__in=[Grade.A, Grade.D])
        .order_by("rank", "firm_id")
        .values_list("firm_id", "grade", "score")
    )
    # Imported here: credit.rectification imports this module (check_attachment).
    from .rectification import DEFAULT_MEASURES, findings_for

    findings = findings_for(
        year=publication.year, firm_ids=[row[0] for row in rows if row[1] == Grade.D]
    )
    for firm_id, grade, score in rows:
        kind = NoticeKind.COMMENDATION if grade == Grade.A else NoticeKind.RECTIFICATION
        if (firm_id, kind) in existing:
            continue
        notice = CreditNotice(
            publication=publication,
            version=version,
            firm_id=firm_id,
            kind=kind,
            grade=grade,
            score=score,
            issued_at=now,
            issued_by=user,
            deadline=deadline if kind == NoticeKind.RECTIFICATION else None,
            extra_spot_checks=kind == NoticeKind.RECTIFICATION,
            findings=findings.get(firm_id, "") if kind == NoticeKind.RECTIFICATION else "",
            measures=DEFAULT_MEASURES if kind == NoticeKind.RECTIFICATION else "",
        )
        # The foreign keys come from the rows just read: validating them would cost a query each.
        notice.clean_fields(exclude=["publication", "version", "firm", "issued_by"])
        notices.append(notice)
    bulk_create_with_history(notices, CreditNotice, batch_size=500, default_user=user)
    return len(notices)


# The firm's answer, the re-inspection and the escalation of a notice: credit/rectification.py.
