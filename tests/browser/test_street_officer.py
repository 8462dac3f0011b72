"""A street officer's first minutes: sign in, look at the dashboard, try another street's compound."""

from __future__ import annotations

import pytest

from .conftest import sign_in

pytestmark = pytest.mark.browser


def test_street_officer_signs_in_sees_dashboard_and_not_another_streets_compound(
    page, screenshot, street_officer, compound_a, compound_b
):
    sign_in(page, street_officer.username)

    response = page.goto("/dashboard/")
    assert response.status == 200
    # The default language is Simplified Chinese (pixels cannot tell us the glyphs are right,
    # the document's language can).
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert str(street_officer) in page.locator("nav").inner_text()
    screenshot(page, "dashboard")

    own = page.goto(f"/registry/compounds/{compound_a.pk}/")
    assert own.status == 200
    assert compound_a.name in page.content()

    foreign = page.goto(f"/registry/compounds/{compound_b.pk}/")
    assert foreign.status == 404
    assert compound_b.name not in page.content()
    screenshot(page, "other-street-compound-404")


def test_wrong_password_keeps_the_officer_on_the_login_form(page, street_officer):
    with pytest.raises(AssertionError, match="was refused"):
        sign_in(page, street_officer.username, password="not-the-password")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert "sessionid" not in {cookie["name"] for cookie in page.context.cookies()}
