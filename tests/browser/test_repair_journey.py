"""Credit repair, in the browser: a firm on the published black list applies from its home
with an evidence file, the bureau approves on the decision page (confirming, as approval
publishes), and the public red and black list's new version no longer shows the firm."""

from __future__ import annotations

import hashlib

import pytest

from credit import publication as publishing
from credit.models import PublicationVersion, RepairApplication, RepairStatus
from tests.credit.publishing import end_period, open_publicity, rated_run

from .conftest import sign_in

pytestmark = pytest.mark.browser

YEAR = 2023


def _submit(page, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).click()
    alerts = page.locator(".alert").all_inner_texts()
    assert page.locator(".alert-success").count() == 1, alerts


def test_a_black_listed_firm_applies_the_bureau_approves_and_the_public_list_drops_it(
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
    black_firm = compound_b.firm
    evidence = tmp_path / "整改照片.png"
    evidence.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 200)

    # The black-listed firm applies from its home, with a photo of what it rectified.
    sign_in(page, other_firm_user.username)
    page.goto("/dashboard/")
    with page.expect_navigation():
        page.locator("#card-apply-repair").click()
    page.fill("textarea[name=rectification]", "已补齐消防巡检记录，投诉均已回访办结。")
    page.set_input_files("input[name=files]", str(evidence))
    _submit(page, "#submit-repair")
    application = RepairApplication.objects.get()
    assert application.is_pending
    assert page.locator("#repair-evidence a").inner_text() == "整改照片.png"
    assert page.locator("#repair-deadline").is_visible()
    screenshot(page, "applied")
    page.context.clear_cookies()

    # The bureau finds it on its to-do list and approves it, confirming the publication.
    sign_in(page, bureau_user.username)
    page.goto("/dashboard/")
    with page.expect_navigation():
        page.locator("#todo a", has_text="信用修复").first.click()
    with page.expect_navigation():
        page.locator("#repair-list a").first.click()
    page.once("dialog", lambda dialog: dialog.accept())
    _submit(page, "#approve-repair")
    application.refresh_from_db()
    assert application.status == RepairStatus.APPROVED
    version = PublicationVersion.objects.get(number=2)
    screenshot(page, "approved")
    page.context.clear_cookies()

    # Anyone, signed out, sees version 2 without the firm; its digest verifies.
    page.goto("/credit/redblack/")
    assert black_firm.name not in page.content()
    assert compound_a.firm.name in page.locator("#red-list").inner_text()
    assert page.locator("#digest").inner_text() == version.digest
    screenshot(page, "public-list")
    data = page.request.get(f"/credit/redblack/{YEAR}.json").body()
    assert hashlib.sha256(data).hexdigest() == version.digest
    page.goto(f"/credit/redblack/{YEAR}/v1/")
    assert black_firm.name in page.locator("#black-list").inner_text()
