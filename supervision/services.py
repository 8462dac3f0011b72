"""Writes of the spot checks: a plan, its draw and publication, an inspector's result and
the bureau's rectification order. Each records who did it in the history."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from credit.choices import EventKind
from credit.publication import check_attachment, max_attachments
from credit.services.events import credit_event_create
from portal.choices import Role
from portal.models import User
from portal.services import record_save, refusal

from . import draw as draw_rules
from . import selectors
from .choices import (
    ANSWERED_REASON,
    CHECKLIST,
    DEDUCTED_REASON,
    DEDUCTION_MAX_POINTS,
    INSPECTORS_PER_CHECK,
    MAX_PHOTOS,
    PHOTO_EXTENSIONS,
    PLAN_PUBLISHED_REASON,
    RECTIFICATION_REASON,
    RECTIFIED_REASON,
    RESULT_RECORDED_REASON,
    SENT_BACK_REASON,
    UNGRADED_AS,
    CheckState,
    Outcome,
    PlanStatus,
    photo_max_bytes,
    rectification_days,
)
from .models import Check, CheckPhoto, Plan, RectificationEvidence

DOCUMENT_FORMAT = 1
# The first bytes of the accepted photo types: a renamed file of another kind is refused.
PHOTO_SIGNATURES = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")


def _bureau_only(user) -> None:
    if not selectors.can_plan(user):
        raise refusal(_("Only bureau staff may do this."), "not_bureau")


def canonical_json(data) -> str:
    """One text for one content: sorted keys, no spaces, UTF-8 characters as they are."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- the plan --------------------------------------------------------------------------------


@transaction.atomic
def plan_create(
    *,
    user: User,
    name: str,
    start: dt.date,
    end: dt.date,
    checks_per_year: dict[str, int],
    inspectors: Sequence[User],
) -> Plan:
    """A draft plan whose seed is fixed at once from the latest published red/black list and
    the plan's start: computed here, never typed, before anyone sees the candidates."""
    _bureau_only(user)
    version = selectors.latest_published_version()
    if version is None:
        raise refusal(
            _("Publish a red and black list first: the seed is derived from it."), "no_list"
        )
    allowed = set(selectors.inspector_choices().values_list("pk", flat=True))
    if any(person.pk not in allowed for person in inspectors):
        raise refusal(
            _("Only bureau staff and street or community officers may inspect."),
            "inspector_role",
            "inspectors",
        )
    if len(inspectors) < INSPECTORS_PER_CHECK + 1:
        raise refusal(
            _("Put at least three inspectors in the pool."), "pool_too_small", "inspectors"
        )
    plan = Plan(
        name=name,
        start=start,
        end=end,
        checks_a=checks_per_year["A"],
        checks_b=checks_per_year["B"],
        checks_c=checks_per_year["C"],
        checks_d=checks_per_year["D"],
        basis_version=version,
        basis_digest=version.digest,
        seed=draw_rules.seed_of(list_digest=version.digest, date=start.isoformat()),
        created_by=user,
    )
    record_save(plan, user=user)
    plan.inspectors.set(inspectors)
    return plan


def plan_document(plan: Plan) -> dict:
    """What the draw reads, as published: the candidates (every managed compound by code,
    with its firm's published grade), the pool by username (display names only), the
    frequencies and the seed."""
    grades = selectors.published_grades(plan.basis_version)
    return {
        "format": DOCUMENT_FORMAT,
        "plan": {
            "name": plan.name,
            "start": plan.start.isoformat(),
            "end": plan.end.isoformat(),
            "months": plan.months,
        },
        "seed": plan.seed,
        "seed_basis": {"list_digest": plan.basis_digest, "date": plan.start.isoformat()},
        "checks_per_year": plan.checks_per_year(),
        "ungraded_as": UNGRADED_AS,
        "candidates": [
            {
                "code": compound.code,
                "name": compound.name,
                "firm": compound.firm.name,
                "grade": grades.get(compound.firm_id),
                "street_id": compound.community.street_id,
                "street": compound.community.street.name,
            }
            for compound in selectors.candidate_compounds()
        ],
        "inspectors": [
            {"name": str(person), "street_id": selectors.inspector_street_id(person)}
            for person in selectors.plan_pool(plan)
        ],
    }


@transaction.atomic
def plan_publish(*, user: User, plan: Plan, now: dt.datetime | None = None) -> Plan:
    """Take the candidates, draw and publish: the checks are written with their inspectors,
    and the document the draw read is kept byte for byte for anyone to re-run it."""
    _bureau_only(user)
    # Lock: two clerks drawing the same plan at once would write its checks twice.
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.is_published:
        raise refusal(_("This plan is drawn and published already."), "published")
    document = plan_document(plan)
    try:
        drawn = draw_rules.draw(document)
    except draw_rules.DrawError as exc:
        raise refusal(
            _(
                "Compound %(code)s has fewer than two inspectors outside its street: add inspectors to the pool."
            )
            % {"code": exc.args[0]},
            "pool_conflict",
        ) from None
    compounds = {c.code: c for c in selectors.candidate_compounds()}
    pool = selectors.plan_pool(plan)
    checks = []
    for item in drawn:
        candidate = document["candidates"][item.candidate]
        compound = compounds[candidate["code"]]
        first, second = (pool[i] for i in item.inspectors)
        checks.append(
            Check(
                plan=plan,
                compound=compound,
                number=item.number,
                firm_id=compound.firm_id,
                grade=candidate["grade"] or "",
                first_inspector=first,
                second_inspector=second,
            )
        )
    bulk_create_with_history(checks, Check, batch_size=500, default_user=user)
    plan.document = canonical_json(document)
    plan.document_digest = sha256_hex(plan.document)
    plan.status = PlanStatus.PUBLISHED
    plan.published_at = now or timezone.now()
    return record_save(plan, user=user, reason=PLAN_PUBLISHED_REASON)


def plan_rerun(plan: Plan) -> list[tuple[str, int, str, str]]:
    """The draw re-run on the published document: (compound code, number, inspector names)."""
    document = json.loads(plan.document)
    return [
        (
            document["candidates"][item.candidate]["code"],
            item.number,
            document["inspectors"][item.inspectors[0]]["name"],
            document["inspectors"][item.inspectors[1]]["name"],
        )
        for item in draw_rules.draw(document)
    ]


# --- results ---------------------------------------------------------------------------------


def check_photo(upload: UploadedFile) -> None:
    """A JPG or PNG no larger than the limit, whose bytes say so too."""
    name = upload.name or ""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    head = upload.read(8)
    upload.seek(0)
    if ext not in PHOTO_EXTENSIONS or not head.startswith(PHOTO_SIGNATURES):
        raise refusal(
            _("%(name)s: only JPG and PNG photos are accepted.") % {"name": name},
            "photo_type",
            "photos",
        )
    if upload.size > photo_max_bytes():
        raise refusal(
            _("%(name)s is larger than %(mb)s MB.")
            % {"name": name, "mb": round(photo_max_bytes() / 1024 / 1024, 1)},
            "photo_size",
            "photos",
        )


@transaction.atomic
def check_record(
    *,
    user: User,
    check: Check,
    checklist: dict[str, bool],
    notes: str,
    outcome: str,
    photos: Sequence[UploadedFile] = (),
    now: dt.datetime | None = None,
) -> Check:
    """One of the two drawn inspectors records what they found; once only."""
    # Lock: the two inspectors recording the same check at once.
    check = Check.objects.select_for_update().select_related("plan").get(pk=check.pk)
    if not check.plan.is_published:
        raise refusal(_("This check is not part of a published plan."), "not_published")
    if user.pk not in check.inspector_ids():
        raise refusal(
            _("Only the two inspectors drawn for this check may record its result."),
            "not_inspector",
        )
    if not check.is_open:
        raise refusal(_("The result of this check is recorded already."), "recorded")
    if outcome not in Outcome.values:
        raise refusal(_("Choose pass or issues found."), "outcome", "outcome")
    if len(photos) > MAX_PHOTOS:
        raise refusal(_("At most %(n)s photos.") % {"n": MAX_PHOTOS}, "photo_count", "photos")
    for photo in photos:
        check_photo(photo)
    codes = [code for code, _label in CHECKLIST]
    check.checklist = {code: bool(checklist.get(code)) for code in codes}
    check.notes = (notes or "").strip()
    if outcome == Outcome.ISSUES and not check.notes:
        raise refusal(_("Describe the issues found."), "notes_required", "notes")
    check.outcome = outcome
    check.state = CheckState.PASSED if outcome == Outcome.PASS else CheckState.ISSUES
    check.recorded_by = user
    check.recorded_at = now or timezone.now()
    record_save(check, user=user, reason=RESULT_RECORDED_REASON)
    for photo in photos:
        row = CheckPhoto(check_row=check, file=photo, name=photo.name[:200], size=photo.size)
        row.full_clean(exclude=["check_row"])
        row.save()
    return check


@transaction.atomic
def check_order_rectification(*, user: User, check: Check, today: dt.date | None = None) -> Check:
    """The bureau orders the firm to rectify what a check found, by the credit app's deadline
    for rectification; the firm's open rectification notice of the red/black list, if it has
    one, is linked (a notice of its own would need a published list that names the firm)."""
    _bureau_only(user)
    # Lock: two clerks ordering the same rectification at once.
    check = Check.objects.select_for_update().get(pk=check.pk)
    if check.state != CheckState.ISSUES:
        raise refusal(
            _("Only a check that found issues can be sent for rectification."), "not_issues"
        )
    today = today or timezone.localdate()
    check.state = CheckState.RECTIFICATION
    check.rectify_by = today + dt.timedelta(days=rectification_days())
    check.rectification_ordered_by = user
    check.credit_notice = selectors.open_rectification_notice(firm_id=check.firm_id)
    return record_save(check, user=user, reason=RECTIFICATION_REASON)


# --- rectification to the end ----------------------------------------------------------------


def _lock_check(check: Check) -> Check:
    # Lock: the firm answering while a reviewer decides, or two reviewers at once.
    return (
        Check.objects.select_for_update(of=("self",))
        .select_related("plan", "compound", "firm")
        .get(pk=check.pk)
    )


@transaction.atomic
def check_rectification_answer(
    *,
    user: User | None,
    check: Check,
    measures: str,
    evidence: Sequence[UploadedFile] = (),
    now: dt.datetime | None = None,
) -> Check:
    """The managing firm says what it did, with evidence files; the bureau or the check's
    inspectors review it. A late answer is taken: the check stays flagged past its date.
    `user` None: written by the system (the demo, for a firm without an account)."""
    check = _lock_check(check)
    if user is not None and not (user.role == Role.FIRM and user.firm_id == check.firm_id):
        raise refusal(
            _("Only the firm managing the compound may answer its rectification."), "not_firm"
        )
    if check.state != CheckState.RECTIFICATION:
        raise refusal(_("No rectification of this check awaits your answer."), "not_ordered")
    measures = (measures or "").strip()
    if not measures:
        raise refusal(_("Say what your firm did to rectify."), "measures_required", "measures")
    if not evidence:
        raise refusal(_("Attach at least one file showing the rectification."), "no_file", "files")
    if len(evidence) > max_attachments():
        raise refusal(
            _("At most %(n)s files.") % {"n": max_attachments()}, "too_many_files", "files"
        )
    for upload in evidence:
        check_attachment(upload, field="files")
    check.measures = measures
    check.state = CheckState.ANSWERED
    check.answered_by = user
    check.answered_at = now or timezone.now()
    record_save(check, user=user, reason=ANSWERED_REASON)
    for upload in evidence:
        row = RectificationEvidence(
            check_row=check, file=upload, name=upload.name[:200], size=upload.size
        )
        row.full_clean(exclude=["check_row"])
        row.save()
    return check


def _lock_answered(*, user: User, check: Check) -> Check:
    check = _lock_check(check)
    if not selectors.can_review_rectification(user, check):
        raise refusal(
            _("Only the bureau or the check's inspectors may review its rectification."),
            "not_reviewer",
        )
    if check.state != CheckState.ANSWERED:
        raise refusal(_("No answer of the firm awaits review."), "not_answered")
    return check


@transaction.atomic
def check_rectification_accept(
    *, user: User, check: Check, now: dt.datetime | None = None
) -> Check:
    """The bureau or one of the inspectors accepts the firm's rectification."""
    check = _lock_answered(user=user, check=check)
    check.state = CheckState.RECTIFIED
    check.reviewed_by = user
    check.reviewed_at = now or timezone.now()
    return record_save(check, user=user, reason=RECTIFIED_REASON)


@transaction.atomic
def check_rectification_send_back(
    *, user: User, check: Check, reasons: str, now: dt.datetime | None = None
) -> Check:
    """Sent back with reasons: the firm is to answer again, by the same date."""
    reasons = (reasons or "").strip()
    if not reasons:
        raise refusal(_("Give the reasons for sending the answer back."), "reasons", "reasons")
    check = _lock_answered(user=user, check=check)
    check.state = CheckState.RECTIFICATION
    check.review_reasons = reasons
    check.reviewed_by = user
    check.reviewed_at = now or timezone.now()
    return record_save(check, user=user, reason=SENT_BACK_REASON)


def deduction_reason(check: Check, *, late: bool) -> str:
    """The deduction's reason names the check: plan, compound and what was found. In the
    city's language: it is part of the firm's record, which the public lists quote."""
    compound = check.compound
    found = "逾期未完成整改" if late else "发现问题"
    return f"双随机抽查（{check.plan.name}，{compound.name} {compound.code}）{found}"[:500]


@transaction.atomic
def check_record_deduction(
    *,
    user: User,
    check: Check,
    points: Decimal,
    date: dt.date | None = None,
) -> Check:
    """Instead of (or after an unfulfilled) rectification, the bureau records a deduction
    credit event of the firm for what the check found, linked from the check."""
    _bureau_only(user)
    check = _lock_check(check)
    date = date or timezone.localdate()
    late = check.is_late(date)
    if not (check.state == CheckState.ISSUES or late):
        raise refusal(
            _("A deduction follows issues found, or a rectification not accepted by its date."),
            "not_deductible",
        )
    if not (Decimal("0") < points <= DEDUCTION_MAX_POINTS):
        raise refusal(
            _("The points lie above 0 and at most %(max)s.") % {"max": DEDUCTION_MAX_POINTS},
            "points",
            "points",
        )
    check.credit_event = credit_event_create(
        user=user,
        year=date.year,
        firm=check.firm,
        kind=EventKind.DEDUCTION,
        points=points,
        date=date,
        reason=deduction_reason(check, late=late),
    )
    check.state = CheckState.DEDUCTED
    return record_save(check, user=user, reason=DEDUCTED_REASON)
