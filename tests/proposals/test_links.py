"""Follow-through links: a path inside the portal, shown with its target's title."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from credit import services as credit_services
from proposals import services

from .conftest import complete_sections, sign

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/credit/rules/",
        "//example.com/credit/rules/",
        "javascript:alert(1)",
        "credit/rules/",
        "/no/such/page/",
    ],
)
def test_a_link_outside_the_portal_is_refused(bureau_user, proposal, division, url):
    services.proposal_assign(user=bureau_user, proposal=proposal, lead_division=division)
    reply = services.reply_start(user=bureau_user, proposal=proposal)
    sections = complete_sections(reply)
    first = next(iter(sections))
    sections[first]["follow_up_url"] = url
    with pytest.raises(ValidationError) as exc:
        services.reply_save(user=bureau_user, reply=reply, sections=sections)
    assert "follow_up_url" in exc.value.message_dict
    assert reply.sections.get(point_id=first).follow_up_url == ""


def test_public_page_shows_the_target_title(
    client, bureau_user, proposal, division, division_head, register
):
    rule_set = credit_services.rule_set_for_year(user=None, year=2024)
    services.proposal_assign(user=bureau_user, proposal=proposal, lead_division=division)
    reply = services.reply_start(user=bureau_user, proposal=proposal)
    sections = complete_sections(reply)
    first, second = sections
    sections[first]["follow_up_url"] = f"/credit/rules/{rule_set.pk}/edit/"
    sections[first]["follow_up_label"] = "信用评价细则"
    sections[second]["follow_up_url"] = "/credit/rules/"  # a page, not a known target
    services.reply_save(user=bureau_user, reply=reply, sections=sections, overall_category="A")
    services.reply_submit(user=bureau_user, reply=reply)
    sign(division_head, reply)
    reply = services.reply_publish(user=bureau_user, reply=reply, published_on=dt.date(2024, 7, 9))

    page = client.get(reply.get_public_url()).content.decode()
    assert str(rule_set) in page and "信用评价细则" in page
    assert f'href="/credit/rules/{rule_set.pk}/edit/"' in page
    assert 'href="/credit/rules/" data-follow-up>/credit/rules/</a>' in page
