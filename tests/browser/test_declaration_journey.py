"""A good-conduct declaration, in the browser: the firm declares with an evidence file, the
officer of its street finds it on the to-do list and accepts it with the default points, and
the firm reads the bonus on its own list of credit events, linked back to the declaration."""

from __future__ import annotations

import pytest

from credit.models import Declaration, DeclarationStatus

from .conftest import sign_in

pytestmark = pytest.mark.browser

TEXT = "暴雨期间连续值守，转移地下车库车辆42台，协助社区疏散独居老人。"


def _submit(page, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).click()
    alerts = page.locator(".alert").all_inner_texts()
    assert page.locator(".alert-success").count() == 1, alerts


def test_a_firm_declares_the_street_accepts_and_the_firm_reads_its_bonus(
    page,
    screenshot,
    firm_user,
    street_officer,
    compound_a,
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path
    evidence = tmp_path / "防汛情况说明.pdf"
    evidence.write_bytes(b"%PDF-1.4\n" + b"0" * 200)

    sign_in(page, firm_user.username)
    page.goto("/credit/declarations/")
    with page.expect_navigation():
        page.locator("#declare-conduct").click()
    page.select_option("select[name=kind]", "emergency")
    page.fill("input[name=date]", "2026-01-05")
    page.fill("textarea[name=description]", TEXT)
    page.set_input_files("input[name=files]", str(evidence))
    _submit(page, "#submit-declaration")
    declaration = Declaration.objects.get()
    assert page.locator("#declaration-evidence a").inner_text() == "防汛情况说明.pdf"
    page.context.clear_cookies()

    sign_in(page, street_officer.username)
    page.goto("/dashboard/")
    with page.expect_navigation():
        page.locator("#todo a", has_text="良好行为").first.click()
    with page.expect_navigation():
        page.locator("#declaration-list a").first.click()
    _submit(page, "#accept-declaration")
    declaration.refresh_from_db()
    assert declaration.status == DeclarationStatus.ACCEPTED
    screenshot(page, "accepted")
    page.context.clear_cookies()

    sign_in(page, firm_user.username)
    page.goto("/credit/events/mine/")
    row = page.locator("#own-events tbody tr").first
    assert declaration.bonus_event.reason in row.inner_text()
    with page.expect_navigation():
        row.locator("a").click()
    assert page.url.endswith(f"/credit/declarations/{declaration.pk}/")
