"""Every page a demo user can reach from the menu answers without a server error.

One demo city for the module; each role's account opens the pages of the menu and the first
detail page linked from each list. A 403 or 404 is an answer; a 500 is a bug.
"""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings
from django.urls import reverse

from portal.choices import Role
from portal.models import User
from tests.signin import verified_login

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]

PUBLIC_PAGES = [
    "/",
    "/firms/",
    "/firms/?q=物业",
    "/accounts/login/",
    "/healthz",
    "/funds/notices/",
    "/proposals/replies/",
    "/credit/redblack/",
]
YEAR_PAGES = ["/credit/assessments/2024/", "/credit/assessments/2023/progress/"]
MENU_PAGES = [
    "portal:dashboard",
    "companies:firm_list",
    "companies:compound_list",
    "portal:user_list",
    "credit:run_list",
    "credit:rule_set_list",
    "funds:account_list",
    "funds:emergency_list",
    "funds:ordinary_list",
    "credit:window_list",
    "credit:event_list",
    "credit:publication_list",
    "credit:notice_list",
    "credit:spot_check_list",
    "funds:plan_list",
    "funds:plan_overdue",
    "proposals:proposal_list",
]
DETAIL_LINK = re.compile(r'href="(/(?:registry|credit|funds|proposals)/[a-z-]+/\d+/)"')


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHER),
        transaction.atomic(),
    ):
        call_command("load_demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)


def test_public_pages_answer(demo, db, client):
    for url in PUBLIC_PAGES:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", Role.values)
def test_menu_and_first_detail_pages_never_fail(demo, db, client, role):
    verified_login(client, User.objects.filter(role=role, username__startswith="demo_").first())
    for url in [reverse(name) for name in MENU_PAGES] + YEAR_PAGES:
        response = client.get(url)
        assert response.status_code in {200, 302, 403, 404}, (url, response.status_code)
        if response.status_code != 200:
            continue
        for link in DETAIL_LINK.findall(response.content.decode())[:2]:
            detail = client.get(link)
            assert detail.status_code in {200, 302, 403, 404}, (link, detail.status_code)
