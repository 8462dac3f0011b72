"""Every visitor, on the demo, clicks every link it is shown: no 5xx, no link to a page
that refuses it or does not exist, no English error page, no raw code where a label belongs.
Each demo account signs in through the form and lands on a page of its own."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client
from django.urls import reverse

from portal.demo import DEMO_PASSWORD
from tests.crawl import crawl
from tests.demo import load_demo_for_tests
from tests.signin import code_now, verified_login

# A department's account is named after its department (one per department in the demo).
ROLES = ["bureau", "street", "community", "association", "firm", "committee", "dept_chengguan"]
# The bureau's workbench is the busiest: coverage (14), grades and every app's to-dos; the
# count stays the same whatever the size of the city (a query per card or source), and grows
# by one with each app that adds a to-do (issue 14 is to make the coverage one summary read).
# The assessments to do read the progress kept per community (whether a write is to recount,
# the compounds to assess, the assessed: 3 where one count over every compound was), the
# training card counts the year's attendances and the areas apart (3 where one was).
LANDING_MAX_QUERIES = 40  # measured on the demo: bureau 40, firm 27, street 27


@pytest.fixture(scope="module")
def demo_city(django_db_setup, django_db_blocker):
    """The demo city, loaded once for this module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo_for_tests()
        yield
        transaction.set_rollback(True)


def _problems(result) -> str:
    return "\n".join(result.problems)


@pytest.mark.parametrize("role", ROLES)
def test_each_demo_account_lands_on_its_own_page_and_every_link_opens(role, demo_city, db):
    client = Client()
    response = client.post(
        reverse("login"), {"username": f"demo_{role}", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    landing = response["Location"]
    assert landing == reverse("portal:dashboard")
    if role == "bureau":  # the bureau's account gives the code of its authenticator first
        asked = client.get(landing)["Location"]
        assert asked.startswith(reverse("portal:mfa_verify"))
        user = get_user_model().objects.get(username="demo_bureau")
        assert client.post(asked, {"code": code_now(user)})["Location"] == landing
    page = client.get(landing)
    assert page.status_code == 200
    assert 'id="todo"' in page.content.decode()
    result = crawl(client, [landing, "/"])
    print(f"{role}: {len(result.pages)} pages, {len(result.routes)} routes")
    assert len(result.pages) > 20
    assert not result.problems, _problems(result)


def test_an_anonymous_visitor_finds_every_public_link_open(demo_city, db):
    result = crawl(Client(), ["/"])
    assert len(result.pages) > 10
    assert not result.problems, _problems(result)


def test_the_public_finds_the_published_red_and_black_list_of_2023(demo_city, db):
    client = Client()
    page = client.get(reverse("credit:redblack")).content.decode()
    assert "2023" in page and "尚未发布" not in page
    lists = client.get(reverse("credit:redblack_json", args=[2023])).json()
    # 7 D firms were published; one repaired its credit (version 2 leaves it out).
    assert (len(lists["red_list"]), len(lists["black_list"])) == (34, 6)
    assert lists["version"] == 2 and lists["change_note"] == "信用修复"
    for firm in lists["red_list"][:3] + lists["black_list"][:3]:
        assert firm["name"] in page


def test_the_public_lists_say_why_and_until_when_on_the_demo(demo_city, db):
    """The 2022 pilot list's veto lasts two years' publications: the 2023 page still lists
    the firm; the firm repaired in 2024 shows its repair, not a black listing."""
    from credit.models import RepairApplication

    client = Client()
    page = client.get(reverse("credit:redblack")).content.decode()
    carried = page[page.index('id="carried-list"') :]
    assert "一票否决" in carried and "2024年度名单发布之日" in carried
    assert client.get(reverse("credit:redblack_year", args=[2022])).status_code == 200
    repaired = RepairApplication.objects.filter(status="approved").select_related("firm").get()
    firm_page = client.get(
        reverse("companies:public_firm_detail", args=[repaired.firm.credit_code])
    )
    (listing,) = firm_page.context["listing_history"]
    assert listing.repaired and listing.year == 2023
    assert "信用修复" in firm_page.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_each_landing_page_costs_a_bounded_number_of_queries(
    role, demo_city, db, django_assert_max_num_queries
):
    from django.contrib.auth import get_user_model

    client = Client()
    verified_login(client, get_user_model().objects.get(username=f"demo_{role}"))
    client.get(reverse("portal:dashboard"))  # the session's first request writes its clocks
    with django_assert_max_num_queries(LANDING_MAX_QUERIES):
        assert client.get(reverse("portal:dashboard")).status_code == 200


def test_every_change_the_demo_recorded_reads_as_a_label(demo_city, db):
    """Each history table of the demo: every distinct reason, shown as its page shows it."""
    from django.apps import apps
    from django.utils import translation

    from portal import history
    from tests.crawl import WORD, raw_codes

    codes = raw_codes()
    seen = 0
    with translation.override("zh-hans"):
        for model in apps.get_models():
            if not hasattr(model, "instance_type"):  # a simple_history table
                continue
            for reason in model.objects.values_list("history_change_reason", flat=True).distinct():
                seen += 1
                label = history.reason_label(model.instance_type, reason or "")
                assert not set(WORD.findall(label)) & codes, f"{model.__name__}: {reason!r}"
                assert not (reason and label == reason and WORD.fullmatch(reason)), reason
    assert seen > 10
