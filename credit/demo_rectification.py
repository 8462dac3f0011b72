"""Demo rectification notices of the 2023 black list, one in every state, and the policy
support of the 2023 commendations.

The notices were issued on 21 May 2024 with a deadline of 20 June 2024. The firms have no
demo accounts, so their answers are written as they came; the bureau's and the street's
actions go through the services where they happen now, and are written with their dates
where they happened in 2024."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from portal.choices import Role
from portal.demo import DEMO_REASON, DemoContext, demo_step
from portal.services import record_save

from . import rectification
from .choices import EventKind
from .demo_declarations import DEMO_PDF
from .models import (
    CommendationPolicy,
    CreditNotice,
    KeySupervisionEntry,
    NoticeEvidence,
    NoticeKind,
    NoticeRound,
    NoticeStatus,
    RepairApplication,
    Summons,
    Verdict,
)
from .services.events import credit_event_create

YEAR = 2023
POLICY_TEXT = (
    "2023年度信用等级为A级的物业服务企业：在本市物业服务项目招投标中给予信用加分；"
    "日常检查频次适当降低；优先推荐参加市级“红心物业”示范项目评选；"
    "在行业评优评先中优先考虑。"
)
ANSWER = "已完成整改：补充消防设施巡检记录，公开收费明细，业主投诉均已回访办结。"


def _at(month: int, day: int, hour: int, year: int = 2024) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour))


def _answer(notice: CreditNotice, *, at: dt.datetime, text: str = ANSWER) -> NoticeRound:
    """The firm's answer with one evidence file, written as it came."""
    round_ = record_save(
        NoticeRound(
            notice=notice,
            number=notice.rounds.count() + 1,
            answer=text,
            answered_at=at,
            deadline_before=notice.deadline,
        ),
        user=None,
        reason=DEMO_REASON,
    )
    NoticeEvidence.objects.create(
        round=round_,
        file=SimpleUploadedFile("整改报告.pdf", DEMO_PDF, content_type="application/pdf"),
        name="整改报告.pdf",
    )
    notice.response = text
    notice.responded_at = at
    notice.status = NoticeStatus.ANSWERED
    record_save(notice, user=None, reason=DEMO_REASON)
    return round_


def _verdict(
    notice: CreditNotice,
    round_: NoticeRound,
    *,
    user,
    at: dt.datetime,
    verdict: str,
    reasons: str = "",
    deadline: dt.date | None = None,
) -> None:
    """A re-inspection of 2024, written with its date."""
    round_.verdict = verdict
    round_.reasons = reasons
    round_.inspected_by = user
    round_.inspected_at = at
    if verdict == Verdict.SENT_BACK:
        notice.deadline = deadline or notice.deadline
        round_.deadline_after = notice.deadline
        notice.status = NoticeStatus.SENT_BACK
    else:
        notice.status = NoticeStatus.RECTIFIED
        notice.closed_by, notice.closed_at, notice.closing_note = user, at, reasons
    record_save(round_, user=user, reason=DEMO_REASON)
    record_save(notice, user=user, reason=DEMO_REASON)


def _summons(notice: CreditNotice, *, user, at: dt.datetime, minutes: str) -> Summons:
    return record_save(
        Summons(
            notice=notice,
            scheduled_at=at,
            place="市住房和城乡建设局三楼会议室",
            created_by=user,
            created_at=at - dt.timedelta(days=5),
            minutes=minutes,
            recorded_at=at + dt.timedelta(hours=2),
            recorded_by=user,
        ),
        user=user,
        reason=DEMO_REASON,
    )


def _list(notice: CreditNotice, *, user, since: dt.date) -> KeySupervisionEntry:
    return record_save(
        KeySupervisionEntry(
            notice=notice,
            firm_id=notice.firm_id,
            reason="逾期未整改，约谈后仍未完成整改",
            since=since,
            listed_by=user,
        ),
        user=user,
        reason=DEMO_REASON,
    )


def _notices() -> list[CreditNotice]:
    """The 2023 rectification notices: the repaired firm's first (it rectified), then by code."""
    repaired = set(
        RepairApplication.objects.filter(publication__year=YEAR, status="approved").values_list(
            "firm_id", flat=True
        )
    )
    notices = list(
        CreditNotice.objects.filter(
            publication__year=YEAR, kind=NoticeKind.RECTIFICATION, status=NoticeStatus.ISSUED
        )
        .select_related("firm", "publication")
        .order_by("firm__credit_code")
    )
    return sorted(notices, key=lambda n: n.firm_id not in repaired)


@demo_step("credit-rectification")
def rectification_step(ctx: DemoContext) -> None:
    bureau = ctx.accounts[Role.BUREAU]
    street = ctx.accounts.get(Role.STREET)
    today = timezone.localdate()
    now = timezone.now()
    record_save(
        CommendationPolicy(year=YEAR, text=POLICY_TEXT, updated_by=bureau),
        user=bureau,
        reason=DEMO_REASON,
    )
    notices = _notices()
    if len(notices) < 7:
        return
    rectified, answered, sent_back, issued, overdue, summoned, deducted = notices[:7]

    # Rectified in two rounds: sent back once, then accepted on site.
    first = _answer(rectified, at=_at(6, 10, 15))
    _verdict(
        rectified,
        first,
        user=bureau,
        at=_at(6, 14, 10),
        verdict=Verdict.SENT_BACK,
        reasons="消防巡检记录缺少责任人签字，收费公示照片不清晰，请补充。",
        deadline=dt.date(2024, 7, 10),
    )
    second = _answer(rectified, at=_at(7, 5, 9), text="已补充签字的巡检记录和公示栏照片。")
    _verdict(
        rectified,
        second,
        user=bureau,
        at=_at(7, 9, 16),
        verdict=Verdict.ACCEPTED,
        reasons="现场复查合格。",
    )

    # The bureau granted more time to three firms; one of them answered three days ago (the
    # street re-inspects it), one was sent back by the street, one has not answered yet.
    for notice, days in ((answered, 10), (sent_back, 20), (issued, 25)):
        rectification.notice_edit(
            user=bureau,
            notice=notice,
            findings=notice.findings or "业主投诉处理不及时，消防设施巡检记录不全。",
            measures=notice.measures,
            deadline=today + dt.timedelta(days=days),
        )
        if street is not None:
            rectification.notice_delegate(user=bureau, notice=notice, street=street.street)
        notice.refresh_from_db()  # the services saved their own copy
    _answer(answered, at=now - dt.timedelta(days=3))
    _answer(sent_back, at=now - dt.timedelta(days=6))
    if street is not None:
        rectification.notice_reinspect(
            user=street,
            notice=sent_back,
            verdict=Verdict.SENT_BACK,
            reasons="现场查看，三号楼消防通道仍有杂物堆放，请清理后再报。",
        )

    # Past the deadline: one overdue only; one summoned; one summoned, put on the
    # key-supervision list and turned into a deduction.
    _summons(
        summoned,
        user=bureau,
        at=_at(7, 2, 9),
        minutes="企业负责人到会，说明整改滞后原因，承诺于7月底前完成整改并书面报告。",
    )
    _summons(
        deducted,
        user=bureau,
        at=_at(7, 3, 9),
        minutes="企业负责人到会，对逾期未整改无合理说明，约谈后仍未提交整改材料。",
    )
    _list(deducted, user=bureau, since=dt.date(2024, 7, 15))
    if len(notices) > 7:
        # One more summoned and listed, not (yet) deducted.
        listed = notices[7]
        _summons(
            listed,
            user=bureau,
            at=_at(7, 4, 9),
            minutes="企业负责人到会，承认整改不到位，约谈后仍未提交整改材料。",
        )
        _list(listed, user=bureau, since=dt.date(2024, 7, 16))
    event = credit_event_create(
        user=bureau,
        year=2024,
        firm=deducted.firm,
        kind=EventKind.DEDUCTION,
        points=Decimal("5.00"),
        date=dt.date(2024, 8, 1),
        reason=f"逾期未完成整改：{YEAR}年度整改通知（编号{deducted.pk}，"
        f"整改期限{deducted.deadline:%Y-%m-%d}）",
    )
    deducted.deduction_event = event
    deducted.status = NoticeStatus.OVERDUE
    deducted.closed_by, deducted.closed_at = bureau, _at(8, 1, 10)
    record_save(deducted, user=bureau, reason=DEMO_REASON)
    ctx.notes.append(
        f"credit: the {YEAR} rectification notices in every state (/credit/notices/): "
        f"{overdue.firm.name} overdue, {deducted.firm.name} on the key-supervision list "
        "(/credit/key-supervision/) and deducted; the commended firms with their policy "
        f"support at /credit/commendations/."
    )
