"""The public firm lookup and firm page: no sign-in, nothing internal."""

from __future__ import annotations

import pytest
from django.urls import reverse

from companies.models import Firm
from portal.choices import Role
from tests.factories import FirmFactory, UserFactory, make_credit_code

SEARCH = reverse("companies:public_firm_search")


def _detail(firm: Firm) -> str:
    return reverse("companies:public_firm_detail", args=[firm.credit_code])


def test_an_empty_query_shows_the_prompt_and_no_list(client, db, firm_a):
    response = client.get(SEARCH)
    assert response.status_code == 200
    assert response.context["page_obj"] is None
    assert firm_a.name.encode() not in response.content


def test_lookup_by_part_of_the_name(client, firm_a, firm_b):
    response = client.get(SEARCH, {"q": "东方"})
    assert list(response.context["page_obj"]) == [firm_a]


def test_lookup_by_credit_code_in_lower_case(client, firm_a, firm_b):
    response = client.get(SEARCH, {"q": firm_b.credit_code.lower()})
    assert list(response.context["page_obj"]) == [firm_b]


def test_lookup_without_a_match_says_so(client, firm_a):
    response = client.get(SEARCH, {"q": "不存在的公司"})
    assert response.status_code == 200
    assert not response.context["page_obj"].object_list


def test_lookup_is_paginated(client, db):
    Firm.objects.bulk_create(
        Firm(credit_code=make_credit_code(900_000 + i), name=f"分页物业{i:02d}") for i in range(45)
    )
    first = client.get(SEARCH, {"q": "分页物业"})
    assert first.context["page_obj"].paginator.num_pages == 3
    third = client.get(SEARCH, {"q": "分页物业", "page": 3})
    assert len(third.context["page_obj"]) == 5


def test_public_firm_page_shows_registration_and_compounds_with_their_street(
    client, compound_a, firm_a
):
    response = client.get(_detail(firm_a))
    assert response.status_code == 200
    content = response.content.decode()
    assert firm_a.credit_code in content
    assert compound_a.name in content
    assert compound_a.community.street.name in content
    assert 'id="credit-record"' in content


def test_public_firm_page_shows_no_phone_numbers_and_nothing_internal(client, compound_a, firm_a):
    Firm.objects.filter(pk=firm_a.pk).update(phone="13912345678")
    UserFactory(role=Role.FIRM, firm=firm_a, phone="13800001111")
    content = client.get(_detail(firm_a)).content.decode()
    assert "13912345678" not in content
    assert "13800001111" not in content
    assert compound_a.code not in content  # internal registry key
    assert "/registry/" not in content


def test_public_firm_page_accepts_a_lower_case_code(client, firm_a):
    response = client.get(
        reverse("companies:public_firm_detail", args=[firm_a.credit_code.lower()])
    )
    assert response.status_code == 200


@pytest.mark.parametrize("code", [make_credit_code(123_456), "NOT-A-CODE"])
def test_unknown_credit_code_is_404(client, db, code):
    FirmFactory()
    response = client.get(reverse("companies:public_firm_detail", args=[code]))
    assert response.status_code == 404


def test_public_pages_query_count_is_bounded(
    client, compound_a, firm_a, django_assert_max_num_queries
):
    # The first visit: the page's stamps (companies/public_page.py, credit's events) and the
    # page; the next ones, served kept, the stamps only.
    with django_assert_max_num_queries(5):
        client.get(_detail(firm_a))
    with django_assert_max_num_queries(2):
        client.get(_detail(firm_a))
    with django_assert_max_num_queries(3):
        client.get(SEARCH, {"q": "物业"})
