"""Owners' complaints, in the browser: the bureau imports a 12345 hotline export (a GB18030
CSV) whose one address matches no compound, matches that address by hand on the unmatched
page, the managing firm answers the complaint from its to-do list, the compound's community
officer verifies on the spot that it was resolved, and the complaint shows both."""

from __future__ import annotations

import pytest

from complaints.choices import Verification
from complaints.models import AddressMatch, Complaint
from tests.complaints.conftest import HEADER, order

from .conftest import sign_in

pytestmark = pytest.mark.browser

MATCHED = "1234520240304001"  # its address is the compound's exact name
UNMATCHED = "1234520240304002"  # its address matches no compound: a clerk matches it
ADDRESS = "幸福路88号东门"
ANSWER = "已联系电梯维保单位更换主板，电梯于当日恢复运行。"
NOTE = "现场查看，电梯运行正常，业主表示满意。"


def _submit(page, locator) -> None:
    with page.expect_navigation():
        locator.click()
    alerts = page.locator(".alert").all_inner_texts()
    assert page.locator(".alert-success").count() == 1, alerts


def _from_todo(page, label: str) -> None:
    page.goto("/dashboard/")
    with page.expect_navigation():
        page.locator("#todo a", has_text=label).first.click()


def _switch(page, username: str) -> None:
    page.context.clear_cookies()
    sign_in(page, username)


def test_hotline_import_hand_match_firm_answers_community_verifies(
    page, screenshot, bureau_user, firm_user, community_officer, compound_a, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path  # the upload waits there for the confirmation
    export = tmp_path / "12345工单.csv"
    rows = [
        order(MATCHED, compound_a.name, text="小区路灯损坏多日无人修理。"),
        order(UNMATCHED, ADDRESS, received="2024-03-04 10:15:00"),
    ]
    lines = [",".join(HEADER)] + [",".join(row) for row in rows]
    export.write_bytes(("\r\n".join(lines) + "\r\n").encode("gb18030"))

    # The bureau uploads the hotline's export from the complaints list and confirms the preview.
    sign_in(page, bureau_user.username)
    page.goto("/complaints/")
    with page.expect_navigation():
        page.locator("#main a", has_text="导入12345热线工单").click()
    page.set_input_files("input[name=file]", str(export))
    with page.expect_navigation():
        page.locator("#main button[type=submit]", has_text="上传并预览").click()
    assert page.locator("#count-created").inner_text() == "2"
    assert ADDRESS in page.locator("#main table").inner_text()  # GB18030 read as such
    screenshot(page, "preview")
    _submit(page, page.locator("#main button[type=submit]", has_text="确认并导入"))
    unmatched = Complaint.objects.get(order_number=UNMATCHED)
    assert unmatched.compound is None and unmatched.firm is None
    assert Complaint.objects.get(order_number=MATCHED).compound == compound_a

    # The clerk follows the link to the unmatched address and matches it by hand.
    with page.expect_navigation():
        page.locator("#unmatched-link a").click()
    row = page.locator("#unmatched .list-group-item", has_text=ADDRESS)
    row.locator(".ts-control").click()
    page.keyboard.type(compound_a.name)
    row.locator(".ts-dropdown .option", has_text=compound_a.name).first.click()
    assert row.locator("select[name=compound]").input_value() == str(compound_a.pk)
    screenshot(page, "unmatched")
    _submit(page, row.locator("button[type=submit]", has_text="匹配并记住"))
    assert "1件投诉已分派" in page.locator(".alert-success").inner_text()
    assert ADDRESS not in page.locator("#unmatched").inner_text()
    unmatched.refresh_from_db()
    assert (unmatched.compound, unmatched.firm) == (compound_a, compound_a.firm)
    assert AddressMatch.objects.get(address=ADDRESS).compound == compound_a

    # The managing firm finds it on its to-do list and answers.
    _switch(page, firm_user.username)
    _from_todo(page, "待答复的投诉")
    assert page.locator("#complaints a").count() == 2  # both orders are now the firm's
    with page.expect_navigation():
        page.locator("#complaints a", has_text=UNMATCHED).click()
    page.fill("#answer-form textarea[name=answer]", ANSWER)
    _submit(page, page.locator("#answer-form button[type=submit]", has_text="发送回复"))
    assert page.locator("#answer-form").count() == 0
    unmatched.refresh_from_db()
    assert unmatched.answered_by == firm_user and unmatched.answered_on_time

    # The compound's community officer verifies on the spot that it was resolved.
    _switch(page, community_officer.username)
    _from_todo(page, "待核实的投诉")
    with page.expect_navigation():
        page.locator("#complaints a", has_text=UNMATCHED).click()
    page.locator("#verify-form input[name=verification][value=resolved]").check()
    page.fill("#verify-form textarea[name=note]", NOTE)
    _submit(page, page.locator("#verify-form button[type=submit]", has_text="记录核实结果"))
    unmatched.refresh_from_db()
    assert unmatched.verification == Verification.RESOLVED
    assert unmatched.verified_by == community_officer

    # The complaint's page shows the firm's answer and the community's verification.
    assert page.locator("#verify-form").count() == 0
    assert ANSWER in page.locator("#answer").inner_text()
    verification = page.locator("#verification").inner_text()
    assert "已解决" in verification and NOTE in verification
    assert compound_a.name in page.locator("#main dl").inner_text()
    screenshot(page, "verified")
    page.goto("/complaints/")
    item = page.locator("#complaints a", has_text=UNMATCHED)
    assert "核实已解决" in item.inner_text()
