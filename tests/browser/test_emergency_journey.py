"""Browser journey: a firm files an emergency, the community certifies, the street confirms,
the bureau approves, and the public notice shows each household's masked share."""

from __future__ import annotations

import pytest

from funds.models import EmergencyApplication, FundNotice

from .conftest import sign_in

pytestmark = pytest.mark.browser


def _pick(page, name: str, text: str) -> None:
    """Choose in a searchable picker (Tom Select): type, then take the server's answer."""
    page.locator(f".ts-wrapper:has(#id_{name}-ts-control) .ts-control").click()
    page.keyboard.type(text)
    page.locator(f"#id_{name}-ts-dropdown .option", has_text=text).first.click()


def _act(page, button_id: str) -> None:
    with page.expect_navigation():
        page.locator(f"#{button_id}").click()
    assert page.locator(".alert-success").count() == 1, page.locator(".alert").all_inner_texts()


def test_emergency_from_filing_to_public_notice(
    page, account_a, firm_user, community_officer, street_officer, bureau_user, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    sign_in(page, firm_user.username)
    page.goto("/funds/emergency/new/")
    page.select_option("select[name=kind]", "leak")
    page.fill("input[name=title]", "1号楼屋面渗漏")
    page.fill("textarea[name=description]", "顶层住户漏水")
    page.select_option("select[name=scope]", "building")
    page.fill("input[name=building]", "1栋")  # as the ledger shows it
    page.fill("input[name=quote_amount]", "2757.50")
    # The picker last: Tom Select may take the focus back a moment after a choice, and a
    # field filled in that moment would lose its text (a script types faster than a clerk).
    _pick(page, "compound", account_a.compound.name)
    assert page.locator("select[name=compound]").input_value() == str(account_a.compound.pk)
    assert page.locator("textarea[name=description]").input_value() == "顶层住户漏水"
    with page.expect_navigation():
        page.locator("#main form button[type=submit]").click()
    application = EmergencyApplication.objects.get()
    detail = f"/funds/emergency/{application.pk}/"
    assert page.url.endswith(detail)

    for user, button in (
        (community_officer, "certify"),
        (street_officer, "confirm"),
        (bureau_user, "approve"),
    ):
        page.context.clear_cookies()
        sign_in(page, user.username)
        page.goto(detail)
        _act(page, button)

    notice = FundNotice.objects.get(emergency=application)
    page.context.clear_cookies()
    page.goto("/funds/notices/")
    with page.expect_navigation():
        page.get_by_text(notice.title).click()
    shares = page.locator("#shares").inner_text()
    assert "张**" in shares and "张三丰" not in page.content()
    assert "¥2,757.50" in shares
