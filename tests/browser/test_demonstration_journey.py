"""A 红心物业 demonstration project, in the browser: a firm applies for a compound it manages
with the owners' survey as evidence, the compound's community and then its street recommend it
from their to-do lists, the bureau approves it with the bonus credit event and publishes the
year's list, and anyone, signed out, finds the compound on the public list."""

from __future__ import annotations

import pytest
from django.utils import timezone

from credit.choices import EventKind
from credit.models import CreditEvent
from demonstrations.choices import BONUS_POINTS, STANDARD_KEYS, State
from demonstrations.models import Application, Publication

from .conftest import sign_in

pytestmark = pytest.mark.browser


def _submit(page, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).click()
    alerts = page.locator(".alert").all_inner_texts()
    assert page.locator(".alert-success").count() == 1, alerts


def _switch(page, username: str) -> None:
    page.context.clear_cookies()
    sign_in(page, username)


def _from_todo(page, label: str) -> None:
    page.goto("/dashboard/")
    with page.expect_navigation():
        page.locator("#todo a", has_text=label).first.click()


def test_a_firm_applies_community_and_street_recommend_the_bureau_approves_and_publishes(
    page,
    screenshot,
    firm_user,
    community_officer,
    street_officer,
    bureau_user,
    compound_a,
    compound_b,
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path
    compound_a.has_party_org = True
    compound_a.save()
    year = timezone.localdate().year
    survey = tmp_path / "业主满意度调查.pdf"
    survey.write_bytes(b"%PDF-1.4\n" + b"0" * 200)

    # The firm applies for its compound, ticking every standard, the survey as evidence.
    sign_in(page, firm_user.username)
    page.goto("/demonstrations/applications/")
    with page.expect_navigation():
        page.locator("#main a[href$='/demonstrations/applications/new/']").click()
    options = page.locator("select[name=compound] option").all_inner_texts()
    assert not any(compound_b.name in option for option in options), options
    page.select_option("select[name=compound]", str(compound_a.pk))
    assert page.locator("input[name=year]").input_value() == str(year)
    page.fill("input[name=party_org]", "东苑小区党支部")
    for key in STANDARD_KEYS:
        page.locator(f"input[name=standards][value={key}]").check()
    page.fill("textarea[name=description]", "党员先锋岗常驻小区，业主议事会每月一次。")
    page.set_input_files("input[name=files]", str(survey))
    _submit(page, "#main form[enctype='multipart/form-data'] button[type=submit]")
    application = Application.objects.get()
    assert (application.compound, application.year) == (compound_a, year)
    assert application.state == State.SUBMITTED
    assert application.satisfaction is None
    assert page.locator("#main a", has_text=survey.name).count() == 1
    assert page.locator("#application-due").is_visible()
    screenshot(page, "applied")

    # The compound's community finds it on its to-do, opens the survey and recommends it.
    _switch(page, community_officer.username)
    _from_todo(page, "待推荐的红心物业申报")
    evidence = page.locator("#main a", has_text=survey.name)
    response = page.request.get(evidence.get_attribute("href"))
    assert response.status == 200 and response.body().startswith(b"%PDF"), response.status
    page.locator("#recommend input[name=recommend][value=yes]").check()
    page.fill("#recommend textarea[name=note]", "社区走访核实，业主评价良好。")
    _submit(page, "#recommend button[type=submit]")
    application.refresh_from_db()
    assert application.state == State.COMMUNITY_OK
    assert application.community_by == community_officer

    # The street recommends it to the bureau.
    _switch(page, street_officer.username)
    _from_todo(page, "待推荐的红心物业申报")
    page.locator("#recommend input[name=recommend][value=yes]").check()
    _submit(page, "#recommend button[type=submit]")
    application.refresh_from_db()
    assert application.state == State.STREET_OK
    assert application.street_by == street_officer

    # The bureau approves it with the bonus credit event for the firm.
    _switch(page, bureau_user.username)
    _from_todo(page, "待审批的红心物业申报")
    page.locator("#decide input[name=approve][value=yes]").check()
    page.locator("#decide input[name=bonus]").check()
    _submit(page, "#decide button[type=submit]")
    application.refresh_from_db()
    assert application.state == State.APPROVED
    event = CreditEvent.objects.get()
    assert (event.firm, event.kind, event.points, event.year) == (
        compound_a.firm,
        EventKind.BONUS,
        BONUS_POINTS,
        year,
    )
    assert application.credit_event == event
    assert page.locator("#bonus-event").is_visible()
    compound_a.refresh_from_db()
    assert compound_a.red_heart_year == year
    screenshot(page, "approved")

    # Nothing is public before the bureau publishes the year's list; then it is.
    page.goto("/demonstrations/")
    assert page.locator("#no-demonstrations").is_visible()
    _submit(page, "#publish")
    assert Publication.objects.get().year == year
    assert page.locator("#publish").count() == 0
    assert compound_a.name in page.locator("#demonstrations").inner_text()

    # Anyone, signed out, finds the compound and its firm on the year's public list.
    page.context.clear_cookies()
    page.goto("/demonstrations/")
    assert "/accounts/login/" not in page.url
    rows = page.locator("#demonstrations tbody tr")
    assert rows.count() == 1
    row = rows.first.inner_text()
    assert compound_a.name in row and compound_a.firm.name in row
    assert compound_b.name not in page.locator("#demonstrations").inner_text()
    assert page.locator("#publish").count() == 0
    screenshot(page, "public-list")
