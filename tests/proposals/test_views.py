"""Staff pages (bureau only) and the public disclosure pages."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.urls import reverse

from proposals import services
from proposals.choices import ProposalState
from proposals.models import Feedback, Proposal, Reply

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(bureau_user, signed_reply):
    return services.reply_publish(
        user=bureau_user, reply=signed_reply, published_on=dt.date(2024, 7, 9)
    )


def test_public_list_and_page_show_metadata_but_no_private_details(client, published):
    response = client.get(reverse("proposals:public_reply_list"))
    assert response.status_code == 200
    assert published.doc_no in response.content.decode()
    response = client.get(published.get_public_url())
    page = response.content.decode()
    assert response.status_code == 200
    assert published.index_no in page
    assert "吉市住建提字〔2024〕1号" in page
    assert "张蕾" in page and "65126180" in page
    assert "13900000000" not in page and "某路1号" not in page


def test_public_search_by_keyword_year_and_session(client, published):
    url = reverse("proposals:public_reply_list")
    assert published.doc_no in client.get(url, {"q": "高质量", "year": 2024}).content.decode()
    assert published.doc_no not in client.get(url, {"year": 2023}).content.decode()
    assert published.doc_no not in client.get(url, {"session": "十四届二次会议"}).content.decode()


def test_unpublished_reply_is_404_on_the_public_page(client, signed_reply):
    assert client.get(signed_reply.get_public_url()).status_code == 404
    assert (
        signed_reply.doc_no
        not in client.get(reverse("proposals:public_reply_list")).content.decode()
    )


def test_staff_pages_refuse_other_roles(client_of, street_officer, proposal):
    client = client_of(street_officer)
    assert client.get(reverse("proposals:proposal_list")).status_code == 403
    assert client.get(reverse("proposals:proposal_detail", args=[proposal.pk])).status_code == 403


def test_staff_pages_ask_anonymous_to_sign_in(client, proposal):
    response = client.get(reverse("proposals:proposal_detail", args=[proposal.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_list_and_detail_for_bureau(
    client_of, bureau_user, proposal, django_assert_max_num_queries
):
    client = client_of(bureau_user)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("proposals:proposal_list")).status_code == 200
    response = client.get(reverse("proposals:proposal_detail", args=[proposal.pk]))
    assert response.status_code == 200
    assert "13900000000" in response.content.decode()  # staff see the private phone


def test_register_a_proposal_through_the_form(client_of, bureau_user):
    data = {
        "kind": "npc",
        "session": "十七届三次会议",
        "number": "12",
        "title": "关于老旧小区加装电梯的建议",
        "received_on": "2024-02-01",
        "full_text": "全文",
        "proposers-TOTAL_FORMS": "2",
        "proposers-INITIAL_FORMS": "0",
        "proposers-MIN_NUM_FORMS": "1",
        "proposers-MAX_NUM_FORMS": "1000",
        "proposers-0-name": "王强",
        "points-TOTAL_FORMS": "2",
        "points-INITIAL_FORMS": "0",
        "points-MIN_NUM_FORMS": "1",
        "points-MAX_NUM_FORMS": "1000",
        "points-0-title": "简化审批",
        "points-1-title": "维修资金支持",
    }
    response = client_of(bureau_user).post(reverse("proposals:proposal_create"), data)
    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert proposal.points.count() == 2 and proposal.proposers.count() == 1
    assert proposal.reply_due == dt.date(2024, 5, 1)


PROPOSAL_LIMIT_MESSAGES = {
    "proposers": "一件提案或建议最多填写 %(num)d 位提案人。",
    "points": "一件提案或建议最多填写 %(num)d 条建议要点。",
}


@pytest.mark.parametrize("prefix", ["proposers", "points"])
def test_a_formset_claiming_100000_forms_is_refused_fast_with_a_form_error(
    client_of, bureau_user, prefix
):
    # A person enters a few proposers and points; TOTAL_FORMS=100000 once took 10 s to
    # build, validate and render thousands of forms.
    data = {
        "kind": "npc",
        "session": "十七届三次会议",
        "number": "12",
        "title": "关于老旧小区加装电梯的建议",
        "received_on": "2024-02-01",
        "full_text": "全文",
        "proposers-TOTAL_FORMS": "1",
        "proposers-INITIAL_FORMS": "0",
        "proposers-0-name": "王强",
        "points-TOTAL_FORMS": "1",
        "points-INITIAL_FORMS": "0",
        "points-0-title": "简化审批",
        f"{prefix}-TOTAL_FORMS": "100000",
    }
    client = client_of(bureau_user)
    client.get(reverse("proposals:proposal_create"))  # warm up: templates, translations
    started = time.perf_counter()
    response = client.post(
        reverse("proposals:proposal_create"), data, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    elapsed = time.perf_counter() - started
    print(f"{prefix}-TOTAL_FORMS=100000 answered in {elapsed:.2f} s")
    assert response.status_code == 200
    assert elapsed < 1.5, f"{elapsed:.2f} s"
    formset = response.context[prefix]
    assert formset.total_form_count() <= formset.max_num <= 50
    [error] = formset.non_form_errors()
    assert error == PROPOSAL_LIMIT_MESSAGES[prefix] % {"num": formset.max_num}
    assert Proposal.objects.count() == 0


def test_draft_page_saves_sections_and_offers_facts(
    client_of, bureau_user, proposal, division, compound_a
):
    services.proposal_assign(user=bureau_user, proposal=proposal, lead_division=division)
    reply = services.reply_start(user=bureau_user, proposal=proposal)
    client = client_of(bureau_user)
    url = reverse("proposals:reply_edit", args=[proposal.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'data-fact="compounds"' in page.content.decode()
    data = {"salutation": "杨娜委员:", "overall_category": "A"}
    for section in reply.sections.all():
        data[f"s{section.point_id}-body"] = "已办理。"
        data[f"s{section.point_id}-category"] = "A"
    response = client.post(url, {**data, "submit": "1"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.REVIEW


def test_sign_off_page_by_head_then_second_is_refused(
    client_of, division_head, register, reviewed_reply
):
    client = client_of(division_head)
    url = reverse("proposals:reply_sign_off", args=[reviewed_reply.proposal_id])
    data = {"contact_name": "张蕾", "contact_phone": "65126180", "written_on": "2024-06-12"}
    assert client.post(url, data).status_code == 302
    reply = Reply.objects.get()
    assert reply.doc_no == "吉市住建提字〔2024〕1号"
    response = client.post(url, data, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "该答复已签发" in response.content.decode()
    reply.refresh_from_db()
    assert reply.doc_no == "吉市住建提字〔2024〕1号"


def test_feedback_on_unreplied_proposal_is_refused_with_a_message(client_of, bureau_user, proposal):
    response = client_of(bureau_user).post(
        reverse("proposals:feedback_record", args=[proposal.pk]),
        {"satisfaction": "satisfied"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "此环节要求状态为" in response.content.decode()
    assert not Feedback.objects.exists()


def test_print_view(client_of, bureau_user, signed_reply):
    response = client_of(bureau_user).get(
        reverse("proposals:reply_print", args=[signed_reply.proposal_id])
    )
    assert response.status_code == 200
    assert signed_reply.index_no in response.content.decode()
