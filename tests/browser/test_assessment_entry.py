"""A street officer enters the year's scores on the grid, on a desktop and on a phone."""

from __future__ import annotations

from decimal import Decimal

import pytest

from credit import services
from credit.models import Assessment
from tests.factories import CompoundFactory

from .conftest import sign_in

pytestmark = pytest.mark.browser

YEAR = 2023
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def field(bureau_user, compound_a, compound_b):
    """An open window, two compounds in the officer's street and one in another street."""
    services.indicators_ensure()  # the live server's database was flushed by earlier tests
    services.assessment_window_open(user=bureau_user, year=YEAR)
    second = CompoundFactory(community=compound_a.community, name="东二小区")
    return compound_a, second


def cell(page, compound, code):
    return page.locator(f"input[name=c{compound.pk}_{code}]")


def test_street_officer_enters_scores_on_a_desktop(
    page, screenshot, street_officer, field, compound_b
):
    first, second = field
    sign_in(page, street_officer.username)
    page.goto(f"/credit/assessments/{YEAR}/")
    assert page.locator("table.assessment-grid thead").is_visible()
    assert page.locator("tr.assessment-row").count() == 2
    assert compound_b.name not in page.content()

    # The keyboard walks along the row: quality, satisfaction, contract, ...
    cell(page, first, "quality").click()
    page.keyboard.type("91.5")
    for value in ("88", "76", "80", "90.25", "85"):
        page.keyboard.press("Tab")
        page.keyboard.type(value)
    page.keyboard.press("Tab")  # the next row's first cell
    page.keyboard.type("70")
    screenshot(page, "typed")
    with page.expect_navigation():
        page.locator("#assessment-grid-form button[type=submit]").click()

    assert page.locator(".alert-success").count() == 1
    assert cell(page, first, "quality").input_value() == "91.50"
    assert cell(page, first, "petitions").input_value() == "85.00"
    assert cell(page, second, "quality").input_value() == "70.00"
    assert cell(page, second, "satisfaction").input_value() == ""
    screenshot(page, "saved")
    saved = dict(
        Assessment.objects.filter(compound=first, assessor_role="street").values_list(
            "indicator__code", "score"
        )
    )
    assert saved["decisions"] == Decimal("90.25")
    assert len(saved) == 6


def test_street_officer_enters_scores_on_a_phone(page, screenshot, street_officer, field):
    first, second = field
    page.set_viewport_size(PHONE)
    sign_in(page, street_officer.username)
    page.goto(f"/credit/assessments/{YEAR}/")
    # One compound per card: no header row, each row laid out as a block with labelled cells.
    assert not page.locator("table.assessment-grid thead").is_visible()
    row = page.locator(f"tr.assessment-row[data-compound='{second.pk}']")
    assert row.evaluate("el => getComputedStyle(el).display") == "block"
    box = cell(page, second, "satisfaction").bounding_box()
    assert box is not None and box["x"] + box["width"] <= PHONE["width"]

    cell(page, second, "satisfaction").fill("66.6")
    cell(page, second, "contract").fill("101")  # refused by the browser before sending
    screenshot(page, "phone-typed")
    page.locator("#assessment-grid-form button[type=submit]").click()
    assert cell(page, second, "contract").evaluate("el => el.validity.rangeOverflow")
    assert not Assessment.objects.exists()

    cell(page, second, "contract").fill("")
    with page.expect_navigation():
        page.locator("#assessment-grid-form button[type=submit]").click()
    assert page.locator(".alert-success").count() == 1
    assert cell(page, second, "satisfaction").input_value() == "66.60"
    screenshot(page, "phone-saved")
    assert list(Assessment.objects.values_list("compound", "indicator__code", "score")) == [
        (second.pk, "satisfaction", Decimal("66.60"))
    ]
