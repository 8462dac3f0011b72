"""The registry speaks Chinese: its history names each recorded reason by its label ("demo
data" reads 演示数据), every choice of its models has a Chinese label, and its pages, the
public firm pages included, show no raw code or English-only text where a label belongs."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from companies import services
from portal.choices import Role
from portal.services import record_save
from tests.crawl import ENGLISH_ONLY
from tests.factories import FirmFactory, UserFactory

from .markup import text_problems

pytestmark = pytest.mark.django_db


def test_every_choice_of_the_registry_models_has_a_chinese_label():
    with translation.override("zh-hans"):
        for model in apps.get_app_config("companies").get_models():
            for field in model._meta.get_fields():
                for value, label in getattr(field, "flatchoices", None) or []:
                    assert str(label) != value and not ENGLISH_ONLY.match(str(label)), (
                        model.__name__,
                        field.name,
                        value,
                    )


def test_demo_data_in_a_firms_history_reads_as_its_label(client_of, bureau_user):
    firm = record_save(FirmFactory.build(), user=bureau_user, reason="demo data")
    html = client_of(bureau_user).get(reverse("companies:firm_detail", args=[firm.pk]))
    page = html.content.decode()
    assert 'class="history-entry"' in page
    assert "演示数据" in page
    assert "demo data" not in page


def test_a_compounds_history_lines_carry_labels_only(client_of, bureau_user, compound_a, firm_b):
    record_save(compound_a, user=bureau_user, reason="imported")
    services.compound_change_firm(
        user=bureau_user, compound=compound_a, firm=firm_b, since=compound_a.created_at.date()
    )
    page = client_of(bureau_user).get(reverse("companies:compound_detail", args=[compound_a.pk]))
    html = page.content.decode()
    assert "导入" in html
    assert text_problems(html) == []


@pytest.mark.parametrize(
    "name",
    ["companies:firm_list", "companies:compound_list", "portal:user_list"],
)
def test_the_registry_lists_show_no_raw_code(client_of, committee_user, street_officer, name):
    # Not the `bureau_user` fixture: its user name, "bureau", is a role's code.
    clerk = UserFactory(role=Role.BUREAU, username="clerk_01")
    response = client_of(clerk).get(reverse(name))
    assert response.status_code == 200
    assert text_problems(response.content.decode()) == []


def test_the_firm_and_compound_pages_show_no_raw_code(client_of, bureau_user, compound_a):
    client = client_of(bureau_user)
    for url in (
        reverse("companies:firm_detail", args=[compound_a.firm_id]),
        reverse("companies:compound_detail", args=[compound_a.pk]),
    ):
        assert text_problems(client.get(url).content.decode()) == [], url


def test_the_public_firm_pages_show_no_raw_code(client, compound_a):
    firm = compound_a.firm
    search = client.get(reverse("companies:public_firm_search"), {"q": firm.name[:2]})
    detail = client.get(reverse("companies:public_firm_detail", args=[firm.credit_code]))
    assert search.status_code == detail.status_code == 200
    assert text_problems(search.content.decode()) == []
    assert text_problems(detail.content.decode()) == []


def test_the_public_firm_page_of_an_unknown_code_is_not_found(client, db):
    response = client.get(reverse("companies:public_firm_detail", args=["91220200000000000X"]))
    assert response.status_code == 404
