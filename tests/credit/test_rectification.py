"""Rectification to the end: findings and measures, the firm's answer with evidence, the
re-inspection by the bureau or the delegated street, the clocks and the escalation past the
deadline (summons, the public key-supervision list), the deduction event, the commended
firms and their policy support, and the to-dos."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from credit import hooks, rectification
from credit import publication as services
from credit.models import (
    CommendationPolicy,
    CreditEvent,
    CreditNotice,
    KeySupervisionEntry,
    NoticeKind,
    NoticeRound,
    NoticeStatus,
    Summons,
)
from credit.services import batch
from credit.services.events import credit_event_create

from .publishing import T0, YEAR, code_of, open_publicity, pdf, rated_run

ISSUED = T0 + dt.timedelta(days=10)  # 2024-03-11; the deadline is 30 calendar days later
BEFORE = ISSUED + dt.timedelta(days=20)
PAST = ISSUED + dt.timedelta(days=35)  # 2024-04-15, past the deadline of 2024-04-10
LATER = PAST + dt.timedelta(days=10)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def publication(bureau_user, compound_a, compound_b, django_capture_on_commit_callbacks):
    run = rated_run(compound_a, compound_b, django_capture_on_commit_callbacks)
    with time_machine.travel(T0, tick=False):
        return open_publicity(bureau_user, run)


@pytest.fixture
def notice(bureau_user, publication, compound_b) -> CreditNotice:
    credit_event_create(
        user=None,
        year=YEAR,
        firm=compound_b.firm,
        kind="deduction",
        points=Decimal("3"),
        date=dt.date(YEAR, 6, 1),
        reason="消防通道堵塞",
    )
    with time_machine.travel(T0 + dt.timedelta(days=8), tick=False):
        services.publication_publish(user=bureau_user, publication=publication)
    with time_machine.travel(ISSUED, tick=False):
        services.notices_issue(user=bureau_user, publication=publication)
    return CreditNotice.objects.get(kind=NoticeKind.RECTIFICATION)


@pytest.fixture
def commendation(notice) -> CreditNotice:
    return CreditNotice.objects.get(kind=NoticeKind.COMMENDATION)


def _answered(notice, firm_user, text="已整改", files=()):
    with time_machine.travel(BEFORE, tick=False):
        return rectification.notice_respond(user=firm_user, notice=notice, text=text, files=files)


def _counts() -> tuple:
    return (
        NoticeRound.objects.count(),
        Summons.objects.count(),
        KeySupervisionEntry.objects.count(),
        CreditEvent.objects.count(),
        CreditNotice.history.count(),
    )


# --- the notice ------------------------------------------------------------------------------


def test_a_rectification_notice_carries_findings_measures_and_a_deadline(notice):
    assert "消防通道堵塞" in notice.findings and "3.00" in notice.findings
    assert notice.measures == rectification.DEFAULT_MEASURES
    assert notice.deadline == dt.date(2024, 4, 10)  # 30 calendar days after 11 March


def test_the_bureau_edits_findings_while_the_notice_is_unanswered(
    bureau_user, other_firm_user, notice
):
    rectification.notice_edit(
        user=bureau_user,
        notice=notice,
        findings="投诉处理不及时",
        measures="建立投诉台账",
        deadline=dt.date(2024, 4, 30),
    )
    notice.refresh_from_db()
    assert (notice.findings, notice.deadline) == ("投诉处理不及时", dt.date(2024, 4, 30))
    _answered(notice, other_firm_user)
    with pytest.raises(ValidationError) as exc:
        rectification.notice_edit(
            user=bureau_user, notice=notice, findings="", measures="", deadline=notice.deadline
        )
    assert code_of(exc.value) == "not_issued"


# --- the firm's answer -----------------------------------------------------------------------


def test_the_firm_answers_with_several_evidence_files(client_of, other_firm_user, notice):
    with time_machine.travel(BEFORE, tick=False):
        response = client_of(other_firm_user).post(
            reverse("credit:notice_respond", args=[notice.pk]),
            {"text": "已清理消防通道", "files": [pdf("photo.pdf"), pdf("report.pdf")]},
        )
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.ANSWERED
    (round_,) = notice.rounds.all()
    assert round_.answer == "已清理消防通道" and round_.answered_by == other_firm_user
    assert sorted(e.name for e in round_.evidence.all()) == ["photo.pdf", "report.pdf"]


def test_another_firm_answering_gets_404_and_writes_nothing(client_of, firm_user, notice):
    before = _counts()
    response = client_of(firm_user).post(
        reverse("credit:notice_respond", args=[notice.pk]), {"text": "x", "files": [pdf()]}
    )
    assert response.status_code == 404
    with pytest.raises(ValidationError) as exc:
        rectification.notice_respond(user=firm_user, notice=notice, text="x")
    assert code_of(exc.value) == "not_own"
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.ISSUED and _counts() == before


def test_a_bad_file_writes_nothing(other_firm_user, notice):
    with pytest.raises(ValidationError) as exc:
        _answered(notice, other_firm_user, files=[pdf("ok.pdf"), pdf("virus.exe")])
    assert code_of(exc.value) == "attachment_type"
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.ISSUED and not NoticeRound.objects.exists()


def test_an_answer_waiting_for_its_verdict_is_not_answered_again(other_firm_user, notice):
    _answered(notice, other_firm_user)
    with pytest.raises(ValidationError) as exc:
        _answered(notice, other_firm_user, text="again")
    assert code_of(exc.value) == "awaiting_verdict"
    assert NoticeRound.objects.count() == 1


# --- the re-inspection -----------------------------------------------------------------------


def test_send_back_needs_reasons_and_keeps_or_extends_the_deadline(
    bureau_user, other_firm_user, notice
):
    _answered(notice, other_firm_user)
    before = _counts()
    for reasons, deadline, code in [
        ("", None, "reasons_required"),
        ("照片不清", dt.date(2024, 4, 1), "deadline"),
    ]:
        with pytest.raises(ValidationError) as exc:
            rectification.notice_reinspect(
                user=bureau_user,
                notice=notice,
                verdict="sent_back",
                reasons=reasons,
                deadline=deadline,
            )
        assert code_of(exc.value) == code
    assert _counts() == before
    notice = rectification.notice_reinspect(
        user=bureau_user,
        notice=notice,
        verdict="sent_back",
        reasons="照片不清",
        deadline=dt.date(2024, 4, 30),
    )
    assert notice.status == NoticeStatus.SENT_BACK and notice.deadline == dt.date(2024, 4, 30)
    round_ = notice.rounds.get()
    assert (round_.verdict, round_.reasons, round_.inspected_by) == (
        "sent_back",
        "照片不清",
        bureau_user,
    )
    assert (round_.deadline_before, round_.deadline_after) == (
        dt.date(2024, 4, 10),
        dt.date(2024, 4, 30),
    )
    # Sent back: the firm answers again, a second round.
    _answered(notice, other_firm_user, text="补充照片")
    rectification.notice_reinspect(user=bureau_user, notice=notice, verdict="accepted")
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.RECTIFIED
    assert [r.verdict for r in notice.rounds.order_by("number")] == ["sent_back", "accepted"]


def test_an_issued_notice_is_not_reinspected(bureau_user, notice):
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        rectification.notice_reinspect(user=bureau_user, notice=notice, verdict="accepted")
    assert code_of(exc.value) == "not_answered"
    assert _counts() == before


def test_the_delegated_street_reinspects_and_another_street_gets_404(
    client_of, bureau_user, other_firm_user, street_officer, other_street_officer, notice
):
    rectification.notice_delegate(user=bureau_user, notice=notice, street=street_officer.street)
    _answered(notice, other_firm_user)
    url = reverse("credit:notice_detail", args=[notice.pk])
    assert client_of(other_street_officer).get(url).status_code == 404
    before = _counts()
    response = client_of(other_street_officer).post(
        reverse("credit:notice_reinspect", args=[notice.pk]), {"verdict": "accepted"}
    )
    assert response.status_code == 404 and _counts() == before
    page = client_of(street_officer).get(url)
    assert page.status_code == 200 and page.context["reinspect_form"] is not None
    response = client_of(street_officer).post(
        reverse("credit:notice_reinspect", args=[notice.pk]), {"verdict": "accepted"}
    )
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.RECTIFIED and notice.closed_by == street_officer


def test_a_street_officer_without_delegation_cannot_reinspect(
    bureau_user, other_firm_user, street_officer, notice
):
    _answered(notice, other_firm_user)
    with pytest.raises(ValidationError) as exc:
        rectification.notice_reinspect(user=street_officer, notice=notice, verdict="accepted")
    assert code_of(exc.value) == "not_allowed"
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.ANSWERED


# --- clocks and escalation -------------------------------------------------------------------


def test_past_its_deadline_an_open_notice_is_flagged_in_red(client_of, other_firm_user, notice):
    url = reverse("credit:notice_detail", args=[notice.pk])
    with time_machine.travel(BEFORE, tick=False):
        assert client_of(other_firm_user).get(url).context["past_deadline"] is False
    with time_machine.travel(PAST, tick=False):
        response = client_of(other_firm_user).get(url)
    assert response.context["past_deadline"] is True
    assert 'id="notice-overdue"' in response.content.decode()


def test_escalation_summons_then_key_supervision_until_accepted(
    client, bureau_user, other_firm_user, notice
):
    with time_machine.travel(BEFORE, tick=False), pytest.raises(ValidationError) as exc:
        rectification.summons_schedule(
            user=bureau_user, notice=notice, scheduled_at=BEFORE, place="局会议室"
        )
    assert code_of(exc.value) == "not_overdue"
    with time_machine.travel(PAST, tick=False):
        summons = rectification.summons_schedule(
            user=bureau_user,
            notice=notice,
            scheduled_at=PAST + dt.timedelta(days=2),
            place="局三楼会议室",
        )
        # Not before the summons was held.
        with pytest.raises(ValidationError) as exc:
            rectification.key_supervision_add(user=bureau_user, notice=notice, reason="逾期")
        assert code_of(exc.value) == "no_summons"
        with pytest.raises(ValidationError) as exc:
            rectification.summons_record_minutes(user=bureau_user, summons=summons, minutes="x")
        assert code_of(exc.value) == "not_held"
    with time_machine.travel(PAST + dt.timedelta(days=3), tick=False):
        rectification.summons_record_minutes(
            user=bureau_user, summons=summons, minutes="企业承诺十日内整改完毕。"
        )
        rectification.key_supervision_add(
            user=bureau_user, notice=notice, reason="逾期未整改，约谈后仍未完成"
        )
    public = client.get(reverse("credit:key_supervision"))
    assert public.status_code == 200
    assert [e.firm for e in public.context["page_obj"]] == [notice.firm]
    assert notice.firm.name in public.content.decode()
    # The firm finally rectifies: acceptance takes it off the list, the entry stays in history.
    _answered(notice, other_firm_user)
    with time_machine.travel(LATER, tick=False):
        rectification.notice_reinspect(user=bureau_user, notice=notice, verdict="accepted")
    entry = KeySupervisionEntry.objects.get()
    assert entry.removed_at is not None and entry.history.count() == 2
    assert list(client.get(reverse("credit:key_supervision")).context["page_obj"]) == []


# --- the deduction ---------------------------------------------------------------------------


def test_an_unfulfilled_notice_becomes_a_linked_deduction_counted_in_the_next_run(
    client_of, bureau_user, notice
):
    with time_machine.travel(PAST, tick=False):
        response = client_of(bureau_user).post(
            reverse("credit:notice_deduct", args=[notice.pk]), {"points": "8"}
        )
    assert response.status_code == 302
    notice.refresh_from_db()
    event = notice.deduction_event
    assert (event.kind, event.points, event.year) == ("deduction", Decimal("8.00"), 2024)
    assert f"编号{notice.pk}" in event.reason and notice.status == NoticeStatus.OVERDUE
    inputs = batch.chunk_inputs(year=2024, firm_ids=[notice.firm_id], indicator_codes={})
    assert inputs[notice.firm_id].deductions == Decimal("8.00")
    events = client_of(bureau_user).get(reverse("credit:event_list"), {"year": 2024})
    assert reverse("credit:notice_detail", args=[notice.pk]) in events.content.decode()


def test_a_notice_not_overdue_or_converted_already_is_not_converted(bureau_user, notice):
    before = _counts()
    with time_machine.travel(BEFORE, tick=False), pytest.raises(ValidationError) as exc:
        rectification.notice_convert_to_deduction(user=bureau_user, notice=notice)
    assert code_of(exc.value) == "not_overdue" and _counts() == before
    with time_machine.travel(PAST, tick=False):
        event = rectification.notice_convert_to_deduction(user=bureau_user, notice=notice)
        assert event.points == rectification.DEFAULT_DEDUCTION_POINTS
        before = _counts()
        with pytest.raises(ValidationError) as exc:
            rectification.notice_convert_to_deduction(user=bureau_user, notice=notice)
    assert code_of(exc.value) == "converted" and _counts() == before


def test_only_the_bureau_converts(client_of, other_firm_user, street_officer, notice):
    with time_machine.travel(PAST, tick=False):
        for user in (other_firm_user, street_officer):
            with pytest.raises(ValidationError):
                rectification.notice_convert_to_deduction(user=user, notice=notice)
        response = client_of(other_firm_user).post(
            reverse("credit:notice_deduct", args=[notice.pk]), {"points": "5"}
        )
    assert response.status_code in (403, 404) and not CreditEvent.objects.filter(year=2024)


# --- commendations ---------------------------------------------------------------------------


def test_the_commended_firms_are_public_with_the_years_policy_support(
    client, client_of, bureau_user, commendation
):
    response = client_of(bureau_user).post(
        reverse("credit:commendation_policy", args=[YEAR]), {"text": "招投标信用加分"}
    )
    assert response.status_code == 302
    client_of(bureau_user).post(
        reverse("credit:commendation_policy", args=[YEAR]), {"text": "招投标信用加分；减少日常检查"}
    )
    policy = CommendationPolicy.objects.get(year=YEAR)
    assert policy.history.count() == 2
    page = client.get(reverse("credit:commendations"))
    html = page.content.decode()
    assert page.status_code == 200 and commendation.firm.name in html
    assert "减少日常检查" in html
    assert client.get(reverse("credit:commendation_year", args=[1999])).status_code == 404


def test_only_the_bureau_sets_the_policy(client_of, firm_user, commendation):
    response = client_of(firm_user).post(
        reverse("credit:commendation_policy", args=[YEAR]), {"text": "x"}
    )
    assert response.status_code in (403, 404) and not CommendationPolicy.objects.exists()


# --- to-dos ----------------------------------------------------------------------------------


def _todos(user, when) -> dict:
    with time_machine.travel(when, tick=False):
        from django.utils import timezone

        today = timezone.localdate()
        return {str(t.label): t for t in hooks.rectification_todos(user, today) if t.count}


def test_the_to_dos_follow_the_notice(bureau_user, other_firm_user, street_officer, notice):
    rectification.notice_delegate(user=bureau_user, notice=notice, street=street_officer.street)
    assert _todos(street_officer, BEFORE) == {}
    _answered(notice, other_firm_user)
    (label,) = _todos(street_officer, BEFORE)
    assert _todos(street_officer, BEFORE)[label].url == reverse(
        "credit:notice_detail", args=[notice.pk]
    )
    with time_machine.travel(BEFORE, tick=False):
        rectification.notice_reinspect(
            user=street_officer, notice=notice, verdict="sent_back", reasons="材料不全"
        )
    firm = _todos(other_firm_user, BEFORE)
    assert [t.count for t in firm.values()] == [1]
    late = _todos(street_officer, PAST)
    assert [(t.count, t.overdue) for t in late.values()] == [(1, 1)]


# --- the bureau's pages ----------------------------------------------------------------------


def test_the_bureau_escalates_from_the_notice_page(client_of, bureau_user, street_officer, notice):
    with time_machine.travel(PAST, tick=False):
        client = client_of(bureau_user)
        page = client.get(reverse("credit:notice_detail", args=[notice.pk]))
        assert page.context["summons_form"] is not None
        assert page.context["reinspect_form"] is None  # nothing answered to re-inspect
        response = client.post(
            reverse("credit:summons_create", args=[notice.pk]),
            {"scheduled_at": "2024-04-15T08:00", "place": "局三楼会议室"},
        )
        assert response.status_code == 302
        summons = Summons.objects.get()
        client.post(reverse("credit:summons_minutes", args=[summons.pk]), {"minutes": "已约谈"})
        client.post(reverse("credit:key_supervision_add", args=[notice.pk]), {"reason": "逾期"})
        client.post(
            reverse("credit:notice_delegate", args=[notice.pk]),
            {"street": street_officer.street_id},
        )
        client.post(reverse("credit:notice_close", args=[notice.pk]), {"note": "逾期未整改"})
    summons.refresh_from_db()
    notice.refresh_from_db()
    assert summons.minutes == "已约谈" and KeySupervisionEntry.objects.get().is_current
    assert notice.delegated_street == street_officer.street
    assert notice.status == NoticeStatus.OVERDUE


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("notice_edit", {"findings": "x", "measures": "y", "deadline": "2024-05-01"}),
        ("notice_delegate", {"street": ""}),
        ("notice_close", {"note": "x"}),
        ("summons_create", {"scheduled_at": "2024-04-15T08:00", "place": "x"}),
        ("key_supervision_add", {"reason": "x"}),
        ("notice_deduct", {"points": "5"}),
    ],
)
def test_the_bureaus_actions_do_not_exist_for_the_firm(
    client_of, other_firm_user, notice, name, data
):
    before = _counts()
    with time_machine.travel(PAST, tick=False):
        response = client_of(other_firm_user).post(
            reverse(f"credit:{name}", args=[notice.pk]), data
        )
    assert response.status_code in (403, 404) and _counts() == before


def test_a_refused_edit_says_why_and_writes_nothing(client_of, bureau_user, notice):
    before = _counts()
    response = client_of(bureau_user).post(
        reverse("credit:notice_edit", args=[notice.pk]),
        {"findings": "x", "measures": "y", "deadline": "2024-01-01"},
        follow=True,
    )
    assert "整改期限不能早于通知日期" in response.content.decode() and _counts() == before
