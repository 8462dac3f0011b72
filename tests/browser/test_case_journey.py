"""A warning from the ground, in the browser: a community officer raises it on a phone with a
photo, the street blows the whistle to 城管 and 消防, both departments report from their
phones, the street closes the case, the community confirms it on the spot, and the bureau
turns it into a deduction of the managing firm with one action."""

from __future__ import annotations

import pytest

from cases.choices import CaseState
from cases.demo import lists_ensure
from cases.models import Case, Category
from credit.models import CreditEvent
from portal.choices import Role
from portal.models import Department
from tests.factories import UserFactory

from .conftest import sign_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def _submit(page, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).click()
    alerts = page.locator(".alert").all_inner_texts()
    assert page.locator(".alert-success").count() == 1, alerts


def _from_todo(page, label: str) -> None:
    page.goto("/dashboard/")
    with page.expect_navigation():
        page.locator("#todo a", has_text=label).first.click()


def _switch(page, username: str) -> None:
    page.context.clear_cookies()
    sign_in(page, username)


def test_warning_whistle_two_reports_closed_confirmed_and_a_credit_event(
    page,
    screenshot,
    community_officer,
    street_officer,
    bureau_user,
    compound_a,
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path
    lists_ensure()  # the live server's tests flush the database, the migration's rows with it
    chengguan = Department.objects.get(code="chengguan")
    xiaofang = Department.objects.get(code="xiaofang")
    cg_user = UserFactory(role=Role.DEPARTMENT, department=chengguan, username="cg")
    xf_user = UserFactory(role=Role.DEPARTMENT, department=xiaofang, username="xf")
    photo = tmp_path / "通道.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0" + b"0" * 200)

    # The community officer, on a phone, raises the warning with a photo.
    page.set_viewport_size(PHONE)
    sign_in(page, community_officer.username)
    page.goto("/cases/new/")
    page.select_option("select[name=compound]", str(compound_a.pk))
    page.select_option("select[name=category]", str(Category.objects.get(code="fire_lane").pk))
    page.locator("input[name=urgency][value=urgent]").check()
    page.fill("textarea[name=description]", "3号楼消防通道被私家车长期占用。")
    page.set_input_files("input[name=photos]", str(photo))
    _submit(page, "#main form button[type=submit]")
    case = Case.objects.get()
    assert case.photos.count() == 1
    screenshot(page, "raised")

    # The street finds it to review and blows the whistle to 城管 and 消防.
    page.set_viewport_size({"width": 1280, "height": 900})
    _switch(page, street_officer.username)
    _from_todo(page, "待审核的预警")
    page.locator(f"input[name=departments][value='{chengguan.pk}']").check()
    page.locator(f"input[name=departments][value='{xiaofang.pk}']").check()
    page.fill("#review textarea[name=whistle_note]", "城管清理车辆，消防检查通道。")
    _submit(page, "button[name=whistle]")
    assert page.locator("#dispatches .list-group-item").count() == 2

    # Each department, on a phone, reports from its to-do list.
    page.set_viewport_size(PHONE)
    for user, result in ((cg_user, "车辆已挪走。"), (xf_user, "通道畅通，消防设施完好。")):
        _switch(page, user.username)
        _from_todo(page, "待报到的案件")
        with page.expect_navigation():
            page.locator("#report-link").click()
        page.fill("textarea[name=action]", "现场处置")
        page.fill("textarea[name=result]", result)
        _submit(page, "#main form button[type=submit]")
    screenshot(page, "reported")

    # The street closes it, every department having reported.
    page.set_viewport_size({"width": 1280, "height": 900})
    _switch(page, street_officer.username)
    _from_todo(page, "待结案的案件")
    _submit(page, "button[name=close]")
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED

    # The community confirms on the spot.
    page.set_viewport_size(PHONE)
    _switch(page, community_officer.username)
    _from_todo(page, "待现场确认的案件")
    page.locator("input[name=resolved][value=yes]").check()
    _submit(page, "button[name=confirm]")
    case.refresh_from_db()
    assert case.state == CaseState.CONFIRMED

    # The bureau records the deduction of the managing firm in one action.
    page.set_viewport_size({"width": 1280, "height": 900})
    _switch(page, bureau_user.username)
    _from_todo(page, "已确认案件")
    assert page.locator("#credit input[name=points]").input_value() == "2.00"
    _submit(page, "button[name=credit]")
    event = CreditEvent.objects.get()
    assert (event.firm, event.kind) == (compound_a.firm, "deduction")
    case.refresh_from_db()
    assert case.credit_event == event
    assert page.locator("#case-credit-event a").is_visible()
    screenshot(page, "credit-event")
