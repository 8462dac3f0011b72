"""The demo has this year's and last year's sessions with the two handbooks, most streets and
communities present this year and a few missing, the demo street present with one community
missing, and the demo firm at one of this year's sessions."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.utils import timezone

from portal.models import User
from tests.demo import load_demo_for_tests
from training import selectors
from training.models import Material, Session
from training.pdf import text_pdf


@pytest.fixture(scope="module")
def demo_city(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo_for_tests()
        yield
        transaction.set_rollback(True)


def test_the_demo_has_sessions_of_two_years_with_the_handbooks(demo_city, db):
    year = timezone.localdate().year
    assert Session.objects.filter(date__year=year).count() == 2
    assert Session.objects.filter(date__year=year - 1).count() == 2
    titles = set(Material.objects.values_list("title", flat=True))
    assert titles == {"吉林市物业管理手册", "业主大会、业主委员会业务指导手册"}
    assert all(m.file.name.endswith(".pdf") for m in Material.objects.all())


def test_the_handbooks_are_pdf_files():
    pdf = text_pdf(["吉林市物业管理手册"])
    assert pdf.startswith(b"%PDF-1.4") and pdf.rstrip().endswith(b"%%EOF")
    assert "吉".encode("utf-16-be").hex().upper().encode() in pdf


def test_the_demo_misses_a_few_streets_and_some_communities(demo_city, db):
    figures = selectors.coverage(year=timezone.localdate().year)
    assert (figures.streets, figures.communities) == (48, 248)
    assert figures.streets_missing == 3
    assert 0 < figures.communities_missing < 20
    street = User.objects.get(username="demo_street")
    attended, missing = selectors.street_status(user=street, year=timezone.localdate().year)
    assert attended is True and len(missing) == 1


def test_the_demo_firm_attended_one_of_this_years_sessions(demo_city, db):
    firm = User.objects.get(username="demo_firm")
    sessions = list(Session.objects.filter(date__year=timezone.localdate().year))
    assert len(selectors.firm_attended_ids(user=firm, sessions=sessions)) == 1
