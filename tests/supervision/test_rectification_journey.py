"""A spot check's rectification, in the browser: the bureau orders it (confirming), the managing
firm answers with an evidence file, the inspector sends it back with reasons, the firm answers
again and the bureau accepts; the public plan shows the check rectified, without the answer."""

from __future__ import annotations

import pytest

from supervision import services
from supervision.choices import CHECKLIST, CheckState, Outcome
from tests.browser.conftest import browser, page, screenshot, sign_in  # noqa: F401

pytestmark = pytest.mark.browser

MEASURES = "已清理消防通道杂物，设置禁停标识，安排专人每日巡查。"


def _submit(page, selector: str) -> None:  # noqa: F811
    with page.expect_navigation():
        page.locator(selector).click()
    alerts = page.locator(".alert").all_inner_texts()
    assert page.locator(".alert-success").count() == 1, alerts


def _answer(page, url: str, evidence, text: str) -> None:  # noqa: F811
    page.goto(url)
    with page.expect_navigation():
        page.locator("#answer-rectification").click()
    page.fill("textarea[name=measures]", text)
    page.set_input_files("input[name=files]", str(evidence))
    _submit(page, "#submit-answer")


def test_ordered_answered_sent_back_answered_again_and_accepted(
    page,  # noqa: F811
    screenshot,  # noqa: F811
    check_b,
    bureau_user,
    other_firm_user,
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path
    services.check_record(
        user=check_b.first_inspector,
        check=check_b,
        checklist={code: code != "fire_lanes" for code, _l in CHECKLIST},
        notes="3号楼消防通道堆放杂物",
        outcome=Outcome.ISSUES,
    )
    url = f"/supervision/checks/{check_b.pk}/"
    evidence = tmp_path / "整改照片.png"
    evidence.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 200)

    # The bureau orders the rectification, confirming.
    sign_in(page, bureau_user.username)
    page.goto(url)
    page.once("dialog", lambda dialog: dialog.accept())
    _submit(page, "form[action$='/rectify/'] button")
    assert page.locator("#rectify-by").is_visible()
    page.context.clear_cookies()

    # The managing firm answers with a photo.
    sign_in(page, other_firm_user.username)
    _answer(page, url, evidence, MEASURES)
    assert page.locator("#rectification-evidence a").inner_text() == "整改照片.png"
    screenshot(page, "answered")
    page.context.clear_cookies()

    # The bureau sends it back with reasons; the firm reads them and answers again.
    sign_in(page, bureau_user.username)
    page.goto(url)
    page.fill("textarea[name=reasons]", "未附整改后照片的拍摄日期")
    _submit(page, "#send-back-rectification")
    page.context.clear_cookies()
    sign_in(page, other_firm_user.username)
    page.goto(url)
    assert "未附整改后照片的拍摄日期" in page.locator("#sent-back-reasons").inner_text()
    _answer(page, url, evidence, MEASURES + "已补充照片。")
    page.context.clear_cookies()

    # The bureau accepts.
    sign_in(page, bureau_user.username)
    page.goto(url)
    _submit(page, "#accept-rectification")
    check_b.refresh_from_db()
    assert check_b.state == CheckState.RECTIFIED
    assert page.locator("#rectification-accepted").is_visible()
    screenshot(page, "accepted")
    page.context.clear_cookies()

    # Anyone sees the check rectified on the public plan, and not the firm's answer.
    page.goto(f"/supervision/plans/{check_b.plan_id}/")
    assert "已整改" in page.content()
    assert MEASURES not in page.content()
