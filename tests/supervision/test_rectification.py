"""Spot-check rectification to the end: the managing firm answers with measures and evidence,
the bureau or the check's inspectors accept it or send it back with reasons, a rectification
not accepted by its date is flagged on the bureau's to-do, and the bureau may record a credit
deduction instead. The public plan shows each check's result and rectification state, without
the firm's answer or photos. Whatever is refused writes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from credit.choices import EventKind
from credit.models import CreditEvent
from supervision import hooks, services
from supervision.choices import CHECKLIST, CheckState, Outcome
from supervision.models import Check, RectificationEvidence
from tests.credit.publishing import code_of

ORDERED_ON = dt.date(2024, 7, 10)
MEASURES = "已清理消防通道，设置禁停标识，安排专人每日巡查。"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def pdf(name: str = "整改报告.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n" + b"0" * 100, content_type="application/pdf")


@pytest.fixture
def issues(check_b) -> Check:
    """Check B found issues: compound B, managed by firm B (other_firm_user's)."""
    return services.check_record(
        user=check_b.first_inspector,
        check=check_b,
        checklist={code: code != "fire_lanes" for code, _l in CHECKLIST},
        notes="3号楼消防通道堆放杂物",
        outcome=Outcome.ISSUES,
    )


@pytest.fixture
def ordered(issues, bureau_user) -> Check:
    return services.check_order_rectification(user=bureau_user, check=issues, today=ORDERED_ON)


def answer(user, check, **kwargs) -> Check:
    kwargs.setdefault("measures", MEASURES)
    kwargs.setdefault("evidence", [pdf()])
    return services.check_rectification_answer(user=user, check=check, **kwargs)


@pytest.fixture
def answered(ordered, other_firm_user) -> Check:
    return answer(other_firm_user, ordered)


def refused(call) -> str:
    with pytest.raises(ValidationError) as exc:
        call()
    return code_of(exc.value)


def unchanged(check: Check, state: str, versions: int) -> None:
    check.refresh_from_db()
    assert check.state == state
    assert check.history.count() == versions
    assert not CreditEvent.objects.exists()


# --- the firm's answer -----------------------------------------------------------------------


def test_the_managing_firm_answers_with_measures_and_evidence(ordered, other_firm_user):
    check = answer(other_firm_user, ordered, evidence=[pdf(), pdf("现场照片.jpg")])
    assert check.state == CheckState.ANSWERED
    assert check.measures == MEASURES and check.answered_by == other_firm_user
    assert [e.name for e in check.rectification_evidence.all()] == ["整改报告.pdf", "现场照片.jpg"]
    assert check.history.first().history_change_reason == "rectification answered"


def test_another_firm_may_not_answer(ordered, firm_user):
    versions = ordered.history.count()
    assert refused(lambda: answer(firm_user, ordered)) == "not_firm"
    unchanged(ordered, CheckState.RECTIFICATION, versions)
    assert not RectificationEvidence.objects.exists()


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"measures": "  "}, "measures_required"),
        ({"evidence": []}, "no_file"),
        ({"evidence": [pdf("macro.docx")]}, "attachment_type"),
    ],
)
def test_an_answer_without_what_it_needs_writes_nothing(ordered, other_firm_user, change, code):
    versions = ordered.history.count()
    assert refused(lambda: answer(other_firm_user, ordered, **change)) == code
    unchanged(ordered, CheckState.RECTIFICATION, versions)
    assert not RectificationEvidence.objects.exists()


def test_a_check_without_a_rectification_order_cannot_be_answered(issues, other_firm_user):
    assert refused(lambda: answer(other_firm_user, issues)) == "not_ordered"


def test_the_firm_answers_through_its_page_and_another_firm_gets_404(
    ordered, client_of, other_firm_user, firm_user
):
    url = reverse("supervision:check_answer", args=[ordered.pk])
    assert client_of(firm_user).get(url).status_code == 404
    client = client_of(other_firm_user)
    response = client.post(url, {"measures": MEASURES, "files": pdf()})
    assert response.status_code == 302
    ordered.refresh_from_db()
    assert ordered.state == CheckState.ANSWERED
    file = ordered.rectification_evidence.get()
    download = reverse("portal:file", args=["spot-check-rectification", file.pk])
    assert client.get(download).status_code == 200
    assert client_of(firm_user).get(download).status_code == 404


# --- the review ------------------------------------------------------------------------------


def test_an_inspector_of_the_check_accepts(answered):
    check = services.check_rectification_accept(user=answered.second_inspector, check=answered)
    assert check.state == CheckState.RECTIFIED and check.reviewed_by == answered.second_inspector
    assert check.history.first().history_change_reason == "rectification accepted"


def test_sent_back_with_reasons_the_firm_answers_again_by_the_same_date(
    answered, bureau_user, other_firm_user
):
    rectify_by = answered.rectify_by
    check = services.check_rectification_send_back(
        user=bureau_user, check=answered, reasons="未附整改后照片"
    )
    assert check.state == CheckState.RECTIFICATION and check.review_reasons == "未附整改后照片"
    assert check.rectify_by == rectify_by
    again = answer(other_firm_user, check, measures=MEASURES + "已补充照片。")
    assert again.state == CheckState.ANSWERED


def test_sending_back_needs_reasons(answered, bureau_user):
    versions = answered.history.count()
    assert (
        refused(
            lambda: services.check_rectification_send_back(
                user=bureau_user, check=answered, reasons=" "
            )
        )
        == "reasons"
    )
    unchanged(answered, CheckState.ANSWERED, versions)


def test_someone_neither_bureau_nor_inspector_may_not_review(answered, client_of, other_firm_user):
    outsider = next(
        u
        for u in answered.plan.inspectors.all()
        if u.pk not in answered.inspector_ids() and u.role != "bureau"
    )
    versions = answered.history.count()
    for user in (outsider, other_firm_user):
        assert (
            refused(
                lambda user=user: services.check_rectification_accept(user=user, check=answered)
            )
            == "not_reviewer"
        )
    assert (
        client_of(other_firm_user)
        .post(reverse("supervision:check_accept", args=[answered.pk]))
        .status_code
        == 404
    )
    unchanged(answered, CheckState.ANSWERED, versions)


def test_a_rectification_is_accepted_once(answered, bureau_user):
    services.check_rectification_accept(user=bureau_user, check=answered)
    assert (
        refused(lambda: services.check_rectification_accept(user=bureau_user, check=answered))
        == "not_answered"
    )


def test_the_bureau_sends_back_through_the_page(answered, client_of, bureau_user):
    url = reverse("supervision:check_send_back", args=[answered.pk])
    client_of(bureau_user).post(url, {"reasons": ""})
    answered.refresh_from_db()
    assert answered.state == CheckState.ANSWERED
    client_of(bureau_user).post(url, {"reasons": "照片不清晰"})
    answered.refresh_from_db()
    assert answered.state == CheckState.RECTIFICATION


# --- deadlines and to-dos --------------------------------------------------------------------


REVIEW, LATE = 33, 34  # the to-dos' places on the workbench


def _todo(user, today, order):
    return next(t for t in hooks.spot_check_todos(user, today) if t.order == order)


def test_a_rectification_past_its_date_is_red_on_the_bureaus_to_do(ordered, bureau_user):
    on_time = _todo(bureau_user, ordered.rectify_by, LATE)
    assert on_time.count == 0
    late = _todo(bureau_user, ordered.rectify_by + dt.timedelta(days=1), LATE)
    assert (late.count, late.overdue, late.due) == (1, 1, ordered.rectify_by)


def test_an_answer_awaits_the_bureau_and_the_checks_inspectors(answered, bureau_user):
    today = dt.date(2024, 7, 20)
    assert _todo(bureau_user, today, REVIEW).count == 1
    assert _todo(answered.first_inspector, today, REVIEW).count == 1
    others = [u for u in answered.plan.inspectors.all() if u.pk not in answered.inspector_ids()]
    outsider = next(u for u in others if u.role != "bureau")
    assert _todo(outsider, today, REVIEW).count == 0


def test_accepted_in_time_is_no_longer_flagged(answered, bureau_user):
    services.check_rectification_accept(user=bureau_user, check=answered)
    late = _todo(bureau_user, answered.rectify_by + dt.timedelta(days=5), LATE)
    assert late.count == 0


# --- the credit deduction instead --------------------------------------------------------------


def test_the_bureau_records_a_deduction_for_issues_found_linked_from_the_check(issues, bureau_user):
    check = services.check_record_deduction(
        user=bureau_user, check=issues, points=Decimal("3"), date=dt.date(2024, 7, 15)
    )
    event = check.credit_event
    assert check.state == CheckState.DEDUCTED
    assert (event.kind, event.firm_id, event.year, event.points) == (
        EventKind.DEDUCTION,
        issues.firm_id,
        2024,
        Decimal("3.00"),
    )
    assert issues.plan.name in event.reason and issues.compound.code in event.reason
    assert event.spot_check == check


def test_a_late_rectification_may_become_a_deduction_but_not_one_still_in_time(
    ordered, bureau_user
):
    versions = ordered.history.count()
    assert (
        refused(
            lambda: services.check_record_deduction(
                user=bureau_user, check=ordered, points=Decimal("2"), date=ordered.rectify_by
            )
        )
        == "not_deductible"
    )
    unchanged(ordered, CheckState.RECTIFICATION, versions)
    check = services.check_record_deduction(
        user=bureau_user,
        check=ordered,
        points=Decimal("2"),
        date=ordered.rectify_by + dt.timedelta(days=1),
    )
    assert "逾期未完成整改" in check.credit_event.reason


@pytest.mark.parametrize("points", [Decimal("0"), Decimal("10.5")])
def test_deduction_points_are_bounded(issues, bureau_user, points):
    versions = issues.history.count()
    assert (
        refused(
            lambda: services.check_record_deduction(user=bureau_user, check=issues, points=points)
        )
        == "points"
    )
    unchanged(issues, CheckState.ISSUES, versions)


def test_only_the_bureau_records_a_deduction(issues, client_of, other_firm_user, street_officer):
    versions = issues.history.count()
    assert (
        refused(
            lambda: services.check_record_deduction(
                user=street_officer, check=issues, points=Decimal("2")
            )
        )
        == "not_bureau"
    )
    response = client_of(other_firm_user).post(
        reverse("supervision:check_deduct", args=[issues.pk]), {"points": "2"}
    )
    assert response.status_code in {403, 404}
    unchanged(issues, CheckState.ISSUES, versions)


def test_a_deduction_is_recorded_once(issues, bureau_user):
    services.check_record_deduction(user=bureau_user, check=issues, points=Decimal("2"))
    assert (
        refused(
            lambda: services.check_record_deduction(
                user=bureau_user, check=issues, points=Decimal("2")
            )
        )
        == "not_deductible"
    )
    assert CreditEvent.objects.count() == 1


# --- the public plan -------------------------------------------------------------------------


def test_the_public_plan_shows_results_and_rectification_states_but_not_the_answer(
    answered, client, bureau_user
):
    with time_machine.travel(dt.datetime(2024, 7, 20, 12), tick=False):
        page = client.get(reverse("supervision:plan_detail", args=[answered.plan.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Rectification answered" in html or "整改已答复" in html
    assert answered.rectify_by.isoformat() in html
    assert MEASURES not in html and "整改报告.pdf" not in html and "spot-check-photo" not in html
    assert reverse("supervision:check_detail", args=[answered.pk]) not in html


def test_the_public_plan_flags_a_late_rectification(ordered, client):
    with time_machine.travel(dt.datetime(2024, 9, 1, 12), tick=False):
        html = client.get(reverse("supervision:plan_detail", args=[ordered.plan.pk])).content
    assert "text-bg-danger" in html.decode()


# --- the demo --------------------------------------------------------------------------------


def test_the_demo_has_spot_check_rectifications_in_every_state(db, settings, tmp_path):
    from tests.demo import load_demo_for_tests

    load_demo_for_tests()
    states = set(Check.objects.values_list("state", flat=True))
    assert {
        CheckState.PASSED,
        CheckState.RECTIFICATION,
        CheckState.ANSWERED,
        CheckState.RECTIFIED,
        CheckState.DEDUCTED,
    } <= states
    deducted = Check.objects.get(state=CheckState.DEDUCTED)
    assert deducted.credit_event.kind == EventKind.DEDUCTION
    sent_back = Check.objects.get(state=CheckState.ANSWERED)
    assert sent_back.review_reasons and sent_back.rectification_evidence.count() == 2
