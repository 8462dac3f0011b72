"""The flow of a case: a community's warning, the street's review (handled itself or the
whistle to departments), each department's report by the deadline of the urgency, the
street's closing once all have reported, the community's confirmation on the spot or its
reopening, and the bureau's credit event. Every refusal writes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from cases import services
from cases.choices import CaseState, Urgency
from cases.models import Case, CasePhoto, Dispatch
from credit.choices import EventKind
from credit.models import CreditEvent

from .conftest import RAISED, dispatch_of, raise_case

HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)
JPEG = b"\xff\xd8\xff\xe0" + b"0" * 100


def counts():
    return (
        Case.objects.count(),
        Dispatch.objects.count(),
        Case.history.count(),
        Dispatch.history.count(),
        CreditEvent.objects.count(),
    )


def report(user, case, department, now, result="已清理占道车辆，通道畅通。"):
    return services.dispatch_report(
        user=user,
        dispatch=dispatch_of(case, department),
        action="现场劝离并贴单",
        result=result,
        now=now,
    )


# --- deadlines by urgency ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("urgency", "review_days", "report_days"),
    [(Urgency.CRITICAL, 1, 1), (Urgency.URGENT, 1, 3), (Urgency.NORMAL, 2, 7)],
)
def test_the_deadlines_follow_the_urgency(
    urgency,
    review_days,
    report_days,
    community_officer,
    street_officer,
    compound_a,
    fire_lane,
    chengguan,
):
    case = raise_case(community_officer, compound_a, fire_lane, urgency=urgency)
    assert case.review_due == RAISED + review_days * DAY
    case = services.case_whistle(
        user=street_officer, case=case, departments=[chengguan], now=RAISED + HOUR
    )
    assert dispatch_of(case, chengguan).due == RAISED + HOUR + report_days * DAY


def test_the_deadlines_can_be_set_per_urgency(
    settings, community_officer, street_officer, compound_a, fire_lane, chengguan
):
    settings.CASES_DEADLINE_DAYS = {"critical": [1, 2, 1, 1]}
    case = raise_case(community_officer, compound_a, fire_lane, urgency=Urgency.CRITICAL)
    case = services.case_whistle(
        user=street_officer, case=case, departments=[chengguan], now=RAISED
    )
    assert dispatch_of(case, chengguan).due == RAISED + 2 * DAY


# --- raising ------------------------------------------------------------------------------------


def test_a_community_officer_raises_a_warning_with_photos(community_officer, compound_a, fire_lane):
    photo = SimpleUploadedFile("lane.jpg", JPEG, content_type="image/jpeg")
    case = services.case_raise(
        user=community_officer,
        compound=compound_a,
        category=fire_lane,
        description="通道堵塞",
        urgency=Urgency.CRITICAL,
        photos=[photo],
        now=RAISED,
    )
    assert case.state == CaseState.RAISED
    assert (case.raised_by, case.raised_at) == (community_officer, RAISED)
    assert CasePhoto.objects.get(case=case).name == "lane.jpg"
    assert case.history.first().history_change_reason == "warning raised"


def test_a_compound_outside_the_officers_community_is_refused(
    community_officer, compound_b, fire_lane
):
    before = counts()
    with pytest.raises(ValidationError) as exc:
        raise_case(community_officer, compound_b, fire_lane)
    assert exc.value.error_dict["compound"][0].code == "not_community"
    assert counts() == before


def test_a_street_officer_cannot_raise_a_warning(street_officer, compound_a, fire_lane):
    with pytest.raises(ValidationError):
        raise_case(street_officer, compound_a, fire_lane)
    assert not Case.objects.exists()


def test_a_photo_that_is_not_an_image_is_refused(community_officer, compound_a, fire_lane):
    fake = SimpleUploadedFile("lane.jpg", b"%PDF-1.4 not a photo")
    with pytest.raises(ValidationError):
        services.case_raise(
            user=community_officer,
            compound=compound_a,
            category=fire_lane,
            description="通道堵塞",
            urgency=Urgency.NORMAL,
            photos=[fake],
            now=RAISED,
        )
    assert not Case.objects.exists() and not CasePhoto.objects.exists()


# --- the street's review --------------------------------------------------------------------------


def test_the_street_handles_a_warning_itself_with_a_note(raised, street_officer):
    case = services.case_handle(
        user=street_officer, case=raised, note="街道协调物业已清理。", now=RAISED + HOUR
    )
    assert case.state == CaseState.CLOSED and case.handled_by_street
    assert case.confirm_due == RAISED + HOUR + 3 * DAY


def test_handling_without_a_note_is_refused(raised, street_officer):
    before = counts()
    with pytest.raises(ValidationError):
        services.case_handle(user=street_officer, case=raised, note="  ")
    assert counts() == before


def test_a_street_of_another_street_cannot_review(raised, other_street_officer, chengguan):
    before = counts()
    with pytest.raises(ValidationError) as exc:
        services.case_whistle(user=other_street_officer, case=raised, departments=[chengguan])
    assert exc.value.code == "not_street"
    with pytest.raises(ValidationError):
        services.case_handle(user=other_street_officer, case=raised, note="越界")
    assert counts() == before
    raised.refresh_from_db()
    assert raised.state == CaseState.RAISED


def test_whistling_with_no_department_is_refused(raised, street_officer):
    before = counts()
    with pytest.raises(ValidationError) as exc:
        services.case_whistle(user=street_officer, case=raised, departments=[])
    assert exc.value.error_dict["departments"][0].code == "no_department"
    assert counts() == before


def test_whistling_to_an_inactive_department_is_refused(raised, street_officer, chengguan):
    chengguan.active = False
    chengguan.save()
    with pytest.raises(ValidationError):
        services.case_whistle(user=street_officer, case=raised, departments=[chengguan])
    assert not Dispatch.objects.exists()


def test_a_warning_is_reviewed_once(whistled, street_colleague, gongdian):
    before = counts()
    with pytest.raises(ValidationError) as exc:
        services.case_whistle(user=street_colleague, case=whistled, departments=[gongdian])
    assert exc.value.code == "reviewed"
    assert counts() == before


# --- the departments' reports ---------------------------------------------------------------------


def test_each_department_reports_and_the_last_report_starts_the_closing(
    whistled, chengguan_user, xiaofang_user, chengguan, xiaofang
):
    report(chengguan_user, whistled, chengguan, RAISED + DAY)
    whistled.refresh_from_db()
    assert whistled.close_due is None
    report(xiaofang_user, whistled, xiaofang, RAISED + 2 * DAY)
    whistled.refresh_from_db()
    assert whistled.reports_done_at == RAISED + 2 * DAY
    assert whistled.close_due == RAISED + 4 * DAY  # 较急: two days to close
    assert whistled.state == CaseState.WHISTLED  # the street closes it, not the last report


def test_a_department_cannot_report_on_a_case_not_sent_to_it(whistled, gongdian_user, chengguan):
    before = counts()
    with pytest.raises(ValidationError) as exc:
        report(gongdian_user, whistled, chengguan, RAISED + DAY)
    assert exc.value.code == "not_department"
    assert counts() == before


def test_a_second_report_is_refused(whistled, chengguan_user, chengguan):
    report(chengguan_user, whistled, chengguan, RAISED + DAY)
    before = counts()
    with pytest.raises(ValidationError) as exc:
        report(chengguan_user, whistled, chengguan, RAISED + 2 * DAY, result="再报一次")
    assert exc.value.code == "reported"
    assert counts() == before
    assert dispatch_of(whistled, chengguan).result == "已清理占道车辆，通道畅通。"


def test_a_report_without_a_result_is_refused(whistled, chengguan_user, chengguan):
    with pytest.raises(ValidationError):
        report(chengguan_user, whistled, chengguan, RAISED + DAY, result=" ")
    assert not dispatch_of(whistled, chengguan).is_reported


# --- closing -----------------------------------------------------------------------------------


def test_the_street_cannot_close_while_a_department_is_silent(
    whistled, street_officer, chengguan_user, chengguan
):
    report(chengguan_user, whistled, chengguan, RAISED + DAY)
    before = counts()
    with pytest.raises(ValidationError) as exc:
        services.case_close(user=street_officer, case=whistled, now=RAISED + 5 * DAY)
    assert exc.value.code == "silent_departments"
    assert "消防" in exc.value.messages[0]
    assert counts() == before


def test_the_street_closes_once_all_have_reported(
    whistled, street_officer, chengguan_user, xiaofang_user, chengguan, xiaofang
):
    report(chengguan_user, whistled, chengguan, RAISED + DAY)
    report(xiaofang_user, whistled, xiaofang, RAISED + DAY)
    case = services.case_close(
        user=street_officer, case=whistled, note="两部门均已处置", now=RAISED + 2 * DAY
    )
    assert case.state == CaseState.CLOSED
    assert case.confirm_due == RAISED + 5 * DAY


def test_another_street_cannot_close(whistled, other_street_officer):
    with pytest.raises(ValidationError):
        services.case_close(user=other_street_officer, case=whistled)
    whistled.refresh_from_db()
    assert whistled.state == CaseState.WHISTLED


# --- confirmation -------------------------------------------------------------------------------


@pytest.fixture
def closed(whistled, street_officer, chengguan_user, xiaofang_user, chengguan, xiaofang):
    report(chengguan_user, whistled, chengguan, RAISED + DAY)
    report(xiaofang_user, whistled, xiaofang, RAISED + DAY)
    return services.case_close(user=street_officer, case=whistled, now=RAISED + 2 * DAY)


def test_the_community_confirms_on_the_spot(closed, community_officer):
    case = services.case_confirm(
        user=community_officer,
        case=closed,
        resolved=True,
        note="现场查看已畅通",
        now=RAISED + 3 * DAY,
    )
    assert case.state == CaseState.CONFIRMED and case.confirmed_by == community_officer


def test_not_resolved_reopens_the_case_to_the_street_with_reasons(
    closed, community_officer, street_officer, gongdian
):
    case = services.case_confirm(
        user=community_officer,
        case=closed,
        resolved=False,
        note="车辆又停回来了",
        now=RAISED + 3 * DAY,
    )
    assert (case.state, case.round, case.reopen_reason) == (CaseState.RAISED, 2, "车辆又停回来了")
    assert case.review_due == RAISED + 4 * DAY
    # The street reviews anew, and may whistle to others; the first round's reports stay.
    case = services.case_whistle(
        user=street_officer, case=case, departments=[gongdian], now=RAISED + 3 * DAY + HOUR
    )
    assert case.dispatches.filter(round=1, reported_at__isnull=False).count() == 2
    assert case.dispatches.filter(round=2).get().department == gongdian


def test_reopening_needs_reasons(closed, community_officer):
    before = counts()
    with pytest.raises(ValidationError):
        services.case_confirm(user=community_officer, case=closed, resolved=False, note="")
    assert counts() == before


def test_another_community_cannot_confirm(closed, other_community_officer):
    with pytest.raises(ValidationError):
        services.case_confirm(user=other_community_officer, case=closed, resolved=True)
    closed.refresh_from_db()
    assert closed.state == CaseState.CLOSED


# --- no approval by silence -------------------------------------------------------------------------


def test_nothing_moves_by_itself_when_deadlines_pass(closed, whistled, street_officer):
    """A month after every deadline the case still waits for the community: no step is
    completed by a timeout, and the street still cannot confirm in its place."""
    with time_machine.travel(RAISED + 30 * DAY, tick=False):
        closed.refresh_from_db()
        assert closed.state == CaseState.CLOSED and closed.confirmed_at is None
        with pytest.raises(ValidationError):
            services.case_confirm(user=street_officer, case=closed, resolved=True)


def test_a_silent_department_stays_silent_past_its_deadline(whistled, street_officer):
    with time_machine.travel(RAISED + 30 * DAY, tick=False):
        with pytest.raises(ValidationError):
            services.case_close(user=street_officer, case=whistled)
        assert Dispatch.objects.filter(reported_at__isnull=True).count() == 2


# --- the credit event -------------------------------------------------------------------------------


@pytest.fixture
def confirmed(closed, community_officer):
    return services.case_confirm(
        user=community_officer, case=closed, resolved=True, now=RAISED + 3 * DAY
    )


def test_the_bureau_turns_a_confirmed_case_into_a_deduction_of_the_firm(
    confirmed, bureau_user, firm_a
):
    case = services.case_credit_event(user=bureau_user, case=confirmed, points=Decimal("2.00"))
    event = case.credit_event
    assert (event.firm, event.kind, event.points) == (firm_a, EventKind.DEDUCTION, Decimal("2.00"))
    assert (event.year, event.date) == (2026, dt.date(2026, 3, 5))
    assert f"#{case.pk}" in event.reason and event.case == case


def test_a_case_becomes_one_credit_event_only(confirmed, bureau_user):
    services.case_credit_event(user=bureau_user, case=confirmed, points=Decimal("2"))
    before = counts()
    with pytest.raises(ValidationError) as exc:
        services.case_credit_event(user=bureau_user, case=confirmed, points=Decimal("2"))
    assert exc.value.code == "has_event"
    assert counts() == before


def test_only_the_bureau_records_the_credit_event(confirmed, street_officer):
    with pytest.raises(ValidationError):
        services.case_credit_event(user=street_officer, case=confirmed, points=Decimal("2"))
    assert not CreditEvent.objects.exists()


def test_an_unconfirmed_case_is_no_credit_event(closed, bureau_user):
    with pytest.raises(ValidationError):
        services.case_credit_event(user=bureau_user, case=closed, points=Decimal("2"))
    assert not CreditEvent.objects.exists()
