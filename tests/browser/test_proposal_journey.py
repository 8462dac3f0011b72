"""Browser journey: intake → assignment → draft citing a live figure → sign-off → public page."""

from __future__ import annotations

import pytest

from proposals.models import Division, RegisterSettings, Reply
from tests.browser.conftest import browser, page, screenshot, sign_in  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def register(db):
    row = RegisterSettings.get_solo()
    row.organisation_code = "1120200MB17140993"
    row.issuing_organ = "吉林市住房和城乡建设局"
    row.doc_prefix_cppcc = "吉市住建提字"
    row.save()
    return row


def test_a_proposal_from_intake_to_its_public_reply(
    page,  # noqa: F811
    screenshot,  # noqa: F811
    bureau_user,
    register,
    compound_a,
):
    Division.objects.create(
        name="物业科", head=bureau_user, contact_name="张蕾", contact_phone="65126180"
    )
    sign_in(page, bureau_user.username)

    page.goto("/proposals/new/")
    page.select_option("select[name=kind]", "cppcc")
    page.fill("input[name=session]", "十四届三次会议")
    page.fill("input[name=number]", "84")
    page.fill("input[name=title]", "关于促进物业企业高质量发展的建议")
    page.fill("input[name=received_on]", "2024-03-12")
    page.fill("textarea[name=full_text]", "提案全文。")
    page.fill("input[name=proposers-0-name]", "杨娜")
    page.fill("input[name=proposers-0-phone]", "13900000000")
    page.fill("input[name=points-0-title]", "关于信用管理的建议")
    page.fill("input[name=points-1-title]", "关于维修资金的建议")
    page.click("#main form button.btn-primary")

    page.select_option("select[name=lead_division]", label="物业科")
    page.click("form[action$='/assign/'] button")
    page.click("form[action$='/reply/start/'] button")

    bodies = page.locator("textarea.reply-section-body")
    bodies.nth(0).click()
    bodies.nth(0).type("全市住宅小区情况:")
    page.click("[data-fact-key=compounds]")
    page.locator("select[name$=-category]").nth(0).select_option("A")
    bodies.nth(1).fill("已列入计划。")
    page.locator("select[name$=-category]").nth(1).select_option("B")
    page.locator("input[name$=-due_on]").nth(1).fill("2025-06-30")
    page.select_option("select[name=overall_category]", "B")
    screenshot(page, "draft-with-facts")
    page.click("button[name=submit]")

    page.fill("input[name=written_on]", "2024-06-12")
    page.click("form[action$='/reply/sign-off/'] button")
    page.fill("input[name=published_on]", "2024-07-09")
    page.click("form[action$='/reply/publish/'] button")

    reply = Reply.objects.get()
    assert "1" in reply.sections.order_by("point__position").first().body  # the cited figure
    page.goto(reply.get_public_url())
    text = page.locator("#main").inner_text()
    assert "1120200MB17140993/2024-00001" in text
    assert "吉市住建提字〔2024〕1号" in text
    assert "13900000000" not in text
    screenshot(page, "public-reply")
    pdf = page.request.get(reply.get_public_pdf_url())
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")
