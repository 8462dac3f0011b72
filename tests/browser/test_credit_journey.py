"""The credit year, in the browser: a street officer enters scores on the grid, the bureau
rates the year and watches the progress bar, opens the publicity notice, a firm objects, the bureau rejects the objection, the period
ends, the bureau publishes, and the public list shows the firm."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from credit.models import Objection, ObjectionStatus, Publication, PublicationVersion
from credit.services import assessment_window_open, indicators_ensure
from tests.credit.helpers import assess

from .conftest import sign_in

pytestmark = pytest.mark.browser

YEAR = 2023
CODES = ("quality", "satisfaction", "contract", "supervision")


def _submit(page, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).click()
    alerts = page.locator(".alert").all_inner_texts()
    assert page.locator(".alert-success").count() == 1, alerts


def test_assessment_rating_publicity_objection_publication_public_list(
    page,
    screenshot,
    bureau_user,
    street_officer,
    firm_user,
    compound_a,
    compound_b,
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path
    indicators_ensure()  # the live server's database was flushed by earlier tests
    assessment_window_open(user=bureau_user, year=YEAR)
    for code in CODES:  # another street's compound, assessed by its own officer
        assess(YEAR, compound_b, compound_b.firm, code, "street", 60)

    # The street officer of compound A enters its scores on the grid.
    sign_in(page, street_officer.username)
    page.goto(f"/credit/assessments/{YEAR}/")
    for code in CODES:
        page.fill(f"input[name=c{compound_a.pk}_{code}]", "92")
    _submit(page, "#assessment-grid-form button[type=submit]")
    screenshot(page, "scores-entered")
    page.context.clear_cookies()

    # The bureau starts the rating and the progress bar reaches 100%.
    sign_in(page, bureau_user.username)
    page.goto("/credit/runs/start/")
    page.fill("input[name=year]", str(YEAR))
    with page.expect_navigation():
        page.locator("#main form button").click()
    page.locator('#run-progress progress[value="100"]').wait_for()
    assert page.locator("#run-progress .run-percent").inner_text() == "100%"
    screenshot(page, "run-finished")

    # The bureau opens the publicity notice of the finished run.
    page.goto("/credit/publications/")
    page.locator("select[name=run]").select_option(index=1)
    _submit(page, "#main form button")
    publication = Publication.objects.get(year=YEAR)
    detail = f"/credit/publications/{publication.pk}/"
    assert page.url.endswith(detail)
    assert compound_a.firm.name in page.locator("#red-list").inner_text()
    assert compound_b.firm.name in page.locator("#black-list").inner_text()

    # The firm on the red list objects to its own rating.
    page.context.clear_cookies()
    sign_in(page, firm_user.username)
    page.goto(detail)
    assert compound_b.firm.name not in page.content()  # another firm's proposed rating
    with page.expect_navigation():
        page.locator("#file-objection").click()
    page.fill("textarea[name=text]", "东苑小区的满意度评分有误，请复核。")
    _submit(page, "#submit-objection")
    assert Objection.objects.get().is_pending

    # The bureau sees it marked on the notice and rejects it with a reason.
    page.context.clear_cookies()
    sign_in(page, bureau_user.username)
    page.goto(detail)
    assert page.locator("#red-list .objection-pending").count() == 1
    assert page.locator("#pending-objections").is_visible()
    screenshot(page, "objection-pending")
    with page.expect_navigation():
        page.locator("#objection-list a").first.click()
    page.locator("input[name=decision][value=reject]").check()
    page.fill("textarea[name=answer]", "经复核，评分无误。")
    _submit(page, "#answer-objection")
    assert Objection.objects.get().status == ObjectionStatus.REJECTED

    # Publishing inside the period is refused; once it has passed, it succeeds.
    with page.expect_navigation():
        page.locator("#publish-button").click()
    assert page.locator(".alert-danger").count() == 1
    assert not PublicationVersion.objects.exists()
    Publication.objects.filter(pk=publication.pk).update(
        period_start=publication.period_start - dt.timedelta(days=publication.publicity_days)
    )
    page.goto(detail)
    _submit(page, "#publish-button")
    version = PublicationVersion.objects.get()
    assert version.number == 1

    # Anyone, signed out, sees the firm on the red list with the digest of the data.
    page.context.clear_cookies()
    page.goto("/credit/redblack/")
    red = page.locator("#red-list")
    assert compound_a.firm.name in red.inner_text()
    assert compound_b.firm.name in page.locator("#black-list").inner_text()
    assert page.locator("#digest").inner_text() == version.digest
    screenshot(page, "public-list")
    data = page.request.get(f"/credit/redblack/{YEAR}.json").body()
    assert hashlib.sha256(data).hexdigest() == version.digest
    with page.expect_navigation():
        red.get_by_role("link", name=compound_a.firm.name).click()
    assert page.url.endswith(f"/firms/{compound_a.firm.credit_code}/")
    assert "A" in page.locator("#grade-history").inner_text()
