"""Credit repair (信用修复): a firm on the current published black list applies with evidence,
the bureau decides within working days; approval publishes a new version without the firm
(hashed as every version), refusal needs reasons. Whatever is refused writes nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from credit import hooks
from credit import publication as publishing
from credit.models import (
    CalendarDay,
    DayKind,
    PublicationVersion,
    RepairApplication,
    RepairEvidence,
    RepairStatus,
)
from credit.selectors import version_content
from credit.services import (
    repair_application_approve,
    repair_application_file,
    repair_application_refuse,
)
from portal import history

from .publishing import YEAR, code_of, end_period, open_publicity, pdf, rated_run

SHANGHAI = ZoneInfo("Asia/Shanghai")
BEFORE_NATIONAL_DAY = dt.datetime(2026, 9, 30, 10, tzinfo=SHANGHAI)
TEXT = "已补齐消防巡检记录，公开收费明细，投诉均已回访办结。"


@pytest.fixture(autouse=True)
def _media_and_cache(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def version_1(bureau_user, compound_a, compound_b, django_capture_on_commit_callbacks):
    """Published: firm A (firm_user's) on the red list, firm B (other_firm_user's) black."""
    run = rated_run(compound_a, compound_b, django_capture_on_commit_callbacks)
    publication = end_period(open_publicity(bureau_user, run))
    return publishing.publication_publish(user=bureau_user, publication=publication)


@pytest.fixture
def national_day(db) -> None:
    for day in range(1, 8):
        CalendarDay.objects.create(date=dt.date(2026, 10, day), kind=DayKind.HOLIDAY, name="国庆节")
    CalendarDay.objects.create(date=dt.date(2026, 10, 10), kind=DayKind.WORKDAY, name="调休上班")


def apply(user, **kwargs) -> RepairApplication:
    kwargs.setdefault("rectification", TEXT)
    kwargs.setdefault("evidence", [pdf()])
    return repair_application_file(user=user, **kwargs)


@pytest.fixture
def application(version_1, other_firm_user) -> RepairApplication:
    return apply(other_firm_user)


def refused(call) -> str:
    with pytest.raises(ValidationError) as exc:
        call()
    return code_of(exc.value)


# --- applying ------------------------------------------------------------------------------


def test_a_black_listed_firm_applies_and_the_bureau_has_five_working_days_past_the_holiday(
    version_1, other_firm_user, national_day
):
    with time_machine.travel(BEFORE_NATIONAL_DAY, tick=False):
        application = apply(other_firm_user, evidence=[pdf(), pdf("photo.png")])
    assert application.status == RepairStatus.PENDING
    assert application.firm == other_firm_user.firm and application.version == version_1
    # 1–7 Oct are holidays, Saturday 10 Oct is a working day: 8, 9, 10, 12, 13 Oct.
    assert application.decide_by == dt.date(2026, 10, 13)
    assert [e.name for e in application.evidence.all()] == ["evidence.pdf", "photo.png"]


def test_the_decision_days_are_the_rule_sets(version_1, other_firm_user, national_day):
    rule_set = version_1.run.rule_set
    type(rule_set).objects.filter(pk=rule_set.pk).update(repair_decision_days=1)
    with time_machine.travel(dt.datetime(2026, 10, 9, 16, tzinfo=SHANGHAI), tick=False):
        assert apply(other_firm_user).decide_by == dt.date(2026, 10, 10)  # the make-up Saturday


def test_a_firm_not_on_the_black_list_is_refused(version_1, firm_user):
    assert refused(lambda: apply(firm_user)) == "not_black_listed"
    assert not RepairApplication.objects.exists() and not RepairEvidence.objects.exists()


def test_nothing_published_nothing_to_repair(other_firm_user):
    assert refused(lambda: apply(other_firm_user)) == "not_black_listed"


def test_a_second_pending_application_is_refused(application, other_firm_user):
    assert refused(lambda: apply(other_firm_user)) == "pending_exists"
    assert RepairApplication.objects.count() == 1


def test_an_application_says_what_was_rectified_and_brings_evidence(version_1, other_firm_user):
    assert refused(lambda: apply(other_firm_user, rectification=" ")) == "text_required"
    assert refused(lambda: apply(other_firm_user, evidence=[])) == "no_file"
    exe = SimpleUploadedFile("run.exe", b"MZ")
    assert refused(lambda: apply(other_firm_user, evidence=[exe])) == "attachment_type"
    assert not RepairApplication.objects.exists()


def test_evidence_larger_than_the_limit_is_refused(version_1, other_firm_user, settings):
    settings.CREDIT_ATTACHMENT_MAX_BYTES = 50
    assert refused(lambda: apply(other_firm_user)) == "attachment_size"
    assert not RepairApplication.objects.exists()


def test_only_a_firm_applies(version_1, bureau_user, street_officer):
    for user in (bureau_user, street_officer):
        assert refused(lambda user=user: apply(user)) == "not_firm"


# --- deciding ------------------------------------------------------------------------------


def test_approval_publishes_a_new_version_without_the_firm_whose_digest_verifies(
    client, application, bureau_user, compound_a, compound_b
):
    decided = repair_application_approve(user=bureau_user, application=application)
    assert decided.status == RepairStatus.APPROVED
    version = decided.published_version
    assert version.number == 2 and version.run_id == application.version.run_id
    assert version.change_note == "信用修复"
    assert version.digest == publishing.sha256_hex(version.content)
    content = version_content(pk=version.pk)
    assert content["version"] == 2 and content["change_note"] == version.change_note
    assert content["black_list"] == []
    assert content["red_list"] == version_content(pk=application.version_id)["red_list"]
    assert publishing.canonical_json(content) == version.content

    served = client.get(reverse("credit:redblack_json", args=[YEAR]))
    assert hashlib.sha256(served.content).hexdigest() == version.digest
    page = client.get(reverse("credit:redblack")).content.decode()
    assert compound_b.firm.name not in page and compound_a.firm.name in page
    assert version.digest in page
    # The first version stays as it was published.
    first = client.get(reverse("credit:redblack_version", args=[YEAR, 1])).content.decode()
    assert compound_b.firm.name in first


def test_an_approved_firm_is_off_the_list_and_cannot_apply_again(application, bureau_user):
    repair_application_approve(user=bureau_user, application=application)
    assert refused(lambda: apply(application.filed_by)) == "not_black_listed"


def test_refusal_requires_reasons_and_writes_nothing_without_them(application, bureau_user):
    assert (
        refused(
            lambda: repair_application_refuse(
                user=bureau_user, application=application, reasons="  "
            )
        )
        == "reasons"
    )
    application.refresh_from_db()
    assert application.is_pending and application.history.count() == 1


def test_a_refused_firm_stays_on_the_list_and_may_apply_again(application, bureau_user):
    repair_application_refuse(
        user=bureau_user, application=application, reasons="整改证明材料不完整。"
    )
    application.refresh_from_db()
    assert application.status == RepairStatus.REFUSED
    assert PublicationVersion.objects.count() == 1
    assert apply(application.filed_by).is_pending


def test_a_decision_past_its_date_without_the_reason_for_the_delay_is_refused(
    application, bureau_user
):
    late = dt.datetime.combine(application.decide_by + dt.timedelta(days=1), dt.time(10))
    with time_machine.travel(late.replace(tzinfo=SHANGHAI), tick=False):
        for decide in (
            lambda: repair_application_approve(user=bureau_user, application=application),
            lambda: repair_application_refuse(
                user=bureau_user, application=application, reasons="材料不全。"
            ),
        ):
            assert refused(decide) == "late"
        application.refresh_from_db()
        assert application.is_pending and PublicationVersion.objects.count() == 1

        repair_application_approve(
            user=bureau_user, application=application, delay_reason="国庆假期后补充核查现场。"
        )
    application.refresh_from_db()
    assert application.status == RepairStatus.APPROVED
    assert application.delay_reason == "国庆假期后补充核查现场。"


def test_a_decision_on_time_records_no_reason_for_a_delay(application, bureau_user):
    with time_machine.travel(
        dt.datetime.combine(application.decide_by, dt.time(16)).replace(tzinfo=SHANGHAI),
        tick=False,
    ):
        repair_application_approve(user=bureau_user, application=application, delay_reason="x")
    application.refresh_from_db()
    assert application.delay_reason == ""


def test_a_decided_application_is_not_decided_again(application, bureau_user):
    repair_application_refuse(user=bureau_user, application=application, reasons="材料不全。")
    assert refused(
        lambda: repair_application_approve(user=bureau_user, application=application)
    ) == ("decided")
    assert PublicationVersion.objects.count() == 1


def test_only_the_bureau_decides(application, other_firm_user, firm_user):
    for user in (other_firm_user, firm_user):
        assert (
            refused(
                lambda user=user: repair_application_approve(user=user, application=application)
            )
            == "not_allowed"
        )
    assert PublicationVersion.objects.count() == 1


def test_every_step_is_in_the_history_with_its_label(application, bureau_user):
    repair_application_approve(user=bureau_user, application=application)
    entries = list(application.history.order_by("history_date", "history_id"))
    assert [e.history_user for e in entries] == [application.filed_by, bureau_user]
    labels = [history.entry_label(e) for e in entries]
    assert labels == ["新建", "待处理 → 已通过"]
    publication_labels = [history.entry_label(e) for e in application.publication.history.all()]
    assert any(label.endswith("#2") for label in publication_labels)


# --- pages ---------------------------------------------------------------------------------


def test_the_firm_applies_on_its_page_with_a_file(client_of, version_1, other_firm_user):
    client = client_of(other_firm_user)
    assert client.get(reverse("credit:repair_apply")).status_code == 200
    response = client.post(
        reverse("credit:repair_apply"), {"rectification": TEXT, "files": [pdf()]}
    )
    application = RepairApplication.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("credit:repair_detail", args=[application.pk])
    detail = client.get(response["Location"]).content.decode()
    assert "evidence.pdf" in detail and 'id="repair-deadline"' in detail


def test_the_page_refuses_a_firm_not_on_the_black_list_in_chinese(client_of, version_1, firm_user):
    response = client_of(firm_user).post(
        reverse("credit:repair_apply"), {"rectification": TEXT, "files": [pdf()]}
    )
    assert response.status_code == 200
    assert "贵企业不在当前发布的黑名单上，无需申请信用修复。" in response.content.decode()
    assert not RepairApplication.objects.exists()


def test_another_firms_application_and_files_do_not_exist_for_a_firm(
    client_of, application, firm_user, other_firm_user, bureau_user, street_officer
):
    evidence = application.evidence.get()
    detail = reverse("credit:repair_detail", args=[application.pk])
    file_url = reverse("portal:file", args=["credit-repair", evidence.pk])
    for user in (other_firm_user, bureau_user):
        client = client_of(user)
        assert client.get(detail).status_code == 200
        assert client.get(file_url).status_code == 200
    assert client_of(firm_user).get(detail).status_code == 404
    assert client_of(firm_user).get(file_url).status_code == 404
    assert client_of(street_officer).get(detail).status_code == 404
    assert client_of(street_officer).get(file_url).status_code == 404


def test_the_bureau_approves_on_the_decision_page(client_of, application, bureau_user):
    client = client_of(bureau_user)
    page = client.get(reverse("credit:repair_detail", args=[application.pk])).content.decode()
    assert 'id="approve-repair"' in page and "data-confirm" in page
    response = client.post(reverse("credit:repair_approve", args=[application.pk]))
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == RepairStatus.APPROVED


def test_the_bureau_refuses_without_reasons_and_nothing_changes(
    client_of, application, bureau_user
):
    client = client_of(bureau_user)
    response = client.post(
        reverse("credit:repair_refuse", args=[application.pk]), {"reasons": ""}, follow=True
    )
    assert "不予通过的，请填写理由。" in response.content.decode()
    application.refresh_from_db()
    assert application.is_pending


def test_past_its_date_the_page_asks_why_the_decision_is_late(client_of, application, bureau_user):
    detail = reverse("credit:repair_detail", args=[application.pk])
    assert "delay_reason" not in client_of(bureau_user).get(detail).content.decode()
    late = dt.datetime.combine(application.decide_by + dt.timedelta(days=3), dt.time(10))
    with time_machine.travel(late.replace(tzinfo=SHANGHAI), tick=False):
        client = client_of(bureau_user)  # signed in then: a session ends after hours
        assert 'name="delay_reason"' in client.get(detail).content.decode()
        response = client.post(reverse("credit:repair_approve", args=[application.pk]), follow=True)
        assert "逾期" in response.content.decode()
        application.refresh_from_db()
        assert application.is_pending
        client.post(
            reverse("credit:repair_approve", args=[application.pk]),
            {"delay_reason": "等待消防部门复核意见。"},
        )
    application.refresh_from_db()
    assert application.status == RepairStatus.APPROVED
    assert "等待消防部门复核意见。" in client.get(detail).content.decode()


def test_a_firm_cannot_decide_through_the_pages(client_of, application, other_firm_user):
    client = client_of(other_firm_user)
    assert client.post(reverse("credit:repair_approve", args=[application.pk])).status_code == 403
    refuse = client.post(reverse("credit:repair_refuse", args=[application.pk]), {"reasons": "x"})
    assert refuse.status_code == 403
    application.refresh_from_db()
    assert application.is_pending


def test_the_bureau_lists_the_applications_with_their_deadlines(
    client_of, application, bureau_user
):
    response = client_of(bureau_user).get(reverse("credit:repair_list"), {"state": "pending"})
    assert response.status_code == 200
    assert [a.pk for a in response.context["page_obj"]] == [application.pk]


# --- the workbench -------------------------------------------------------------------------


def test_the_bureaus_to_do_shows_the_application_and_turns_red_past_its_date(
    application, bureau_user
):
    def todo(today):
        items = {i.label: i for i in hooks.repair_todos(bureau_user, today)}
        return items["待决定的信用修复申请"]

    assert todo(application.decide_by).count == 1
    assert not todo(application.decide_by).is_overdue
    late = todo(application.decide_by + dt.timedelta(days=1))
    assert late.count == 1 and late.is_overdue and late.due == application.decide_by


def test_the_firms_home_offers_to_apply_while_black_listed(
    version_1, other_firm_user, firm_user, bureau_user
):
    today = dt.date.today()
    assert hooks.firm_repairs_card(firm_user, today) is None
    card = hooks.firm_repairs_card(other_firm_user, today)
    assert card["can_apply"] and card["applications"] == []
    application = apply(other_firm_user)
    card = hooks.firm_repairs_card(other_firm_user, today)
    assert not card["can_apply"] and card["applications"] == [application]
    repair_application_approve(user=bureau_user, application=application)
    card = hooks.firm_repairs_card(other_firm_user, today)
    assert not card["can_apply"] and card["applications"][0].status == RepairStatus.APPROVED
