"""Rectification, in the browser: the bureau issues the notices of a published list, the
black-listed firm answers its rectification notice from its home with an evidence file, the
bureau finds the answer on its to-do list, re-inspects it and accepts it: rectified."""

from __future__ import annotations

import pytest

from credit import publication as publishing
from credit.models import CreditNotice, NoticeKind, NoticeStatus
from tests.credit.publishing import end_period, open_publicity, rated_run

from .conftest import sign_in

pytestmark = pytest.mark.browser


def _submit(page, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).click()
    alerts = page.locator(".alert").all_inner_texts()
    assert page.locator(".alert-success").count() == 1, alerts


def test_a_notice_is_answered_with_evidence_reinspected_and_accepted(
    page,
    screenshot,
    bureau_user,
    other_firm_user,
    compound_a,
    compound_b,
    django_capture_on_commit_callbacks,
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path
    run = rated_run(compound_a, compound_b, django_capture_on_commit_callbacks)
    publication = end_period(open_publicity(bureau_user, run))
    publishing.publication_publish(user=bureau_user, publication=publication)
    evidence = tmp_path / "消防通道照片.png"
    evidence.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 200)

    # The bureau issues the notices from the published list's page.
    sign_in(page, bureau_user.username)
    page.goto(f"/credit/publications/{publication.pk}/")
    _submit(page, f"form[action='/credit/publications/{publication.pk}/notices/'] button")
    notice = CreditNotice.objects.get(kind=NoticeKind.RECTIFICATION)
    assert notice.firm == compound_b.firm and notice.deadline
    page.context.clear_cookies()

    # The firm finds the notice on its to-do list and answers with a photo.
    sign_in(page, other_firm_user.username)
    page.goto("/dashboard/")
    with page.expect_navigation():
        page.locator("#todo a", has_text="待回复的整改通知").first.click()
    assert page.locator("#notice-deadline").is_visible()
    page.fill("#answer-form textarea[name=text]", "已清理消防通道杂物，并补齐巡检记录。")
    page.set_input_files("#answer-form input[name=files]", str(evidence))
    _submit(page, "#answer-form button")
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.ANSWERED
    assert page.locator(".notice-round a", has_text="消防通道照片.png").is_visible()
    screenshot(page, "answered")
    page.context.clear_cookies()

    # The bureau re-inspects the answer and accepts it.
    sign_in(page, bureau_user.username)
    page.goto("/dashboard/")
    with page.expect_navigation():
        page.locator("#todo a", has_text="待审核的整改回复").first.click()
    with page.expect_navigation():
        page.locator("#notice-list a").first.click()
    page.locator("#reinspect-form input[name=verdict][value=accepted]").check()
    page.fill("#reinspect-form textarea[name=reasons]", "现场复查合格。")
    _submit(page, "#reinspect-form button")
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.RECTIFIED and notice.closed_by == bureau_user
    assert page.locator("#notice-closed").is_visible()
    assert "复查通过" in page.locator("#round-1").inner_text()
    screenshot(page, "accepted")
