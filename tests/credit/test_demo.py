"""The credit demo: exactly the 252 demo firms rated for 2023, published as the seed's city
published them (its publicity period past, the A firms on the red list, the D firms on the
black list with their notices), and the 2024 window open."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from companies.demo import build_city
from credit import hooks
from credit.choices import RunStatus
from credit.demo import load_credit_demo
from credit.models import (
    AssessmentWindow,
    CreditEvent,
    CreditNotice,
    NoticeKind,
    NoticeStatus,
    Objection,
    Publication,
    PublicationStatus,
    RatingRun,
)
from credit.selectors import run_summary, version_content
from portal.demo import DEMO_SEED, STEPS, DemoContext


@pytest.fixture
def city(db) -> DemoContext:
    """The registry steps of the city: other apps' steps are not ours."""
    ctx = DemoContext(seed=DEMO_SEED, plan=build_city(DEMO_SEED))
    for name in ("areas", "registry"):
        STEPS[name](ctx)
    return ctx


def test_demo_rates_exactly_252_firms_with_a_realistic_spread(
    city, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert load_credit_demo(year=2023, rate=True) > 0
    assert load_credit_demo(year=2023) == 0  # a second load changes nothing
    run = RatingRun.objects.get(year=2023)
    assert run.status == RunStatus.FINISHED, run.error
    summary = run_summary(run)
    assert (summary.rated, summary.not_rated) == (252, 0)
    grades = summary.grades
    assert grades["A"] >= 5 and grades["D"] >= 2 and grades["B"] > grades["A"]
    assert summary.vetoed == 2
    assert CreditEvent.objects.filter(kind="bonus").count() == 14


@pytest.fixture
def credit_demo(city, django_capture_on_commit_callbacks) -> DemoContext:
    """The credit step after the city's accounts (the bureau publishes, the others assess)."""
    STEPS["accounts"](city)
    # The rating runs in the step, before anything commits: nothing is left for after it.
    with django_capture_on_commit_callbacks(execute=True):
        STEPS["credit"](city)
    return city


def test_the_demo_publishes_2023_after_a_publicity_period_in_the_past(credit_demo, client):
    publication = Publication.objects.get(year=2023)
    assert publication.status == PublicationStatus.PUBLISHED
    assert publication.period_end < timezone.now()
    version = publication.versions.get()
    assert version.number == 1 and version.published_at > publication.period_end
    run = RatingRun.objects.get(year=2023)
    assert run.finished_at < publication.period_start  # rated before the publicity
    summary = run_summary(run)
    content = version_content(pk=version.pk)
    assert len(content["red_list"]) == summary.grades["A"] == 34
    assert len(content["black_list"]) == summary.grades["D"]
    page = client.get(reverse("credit:redblack")).content.decode()
    assert 'id="red-list"' in page and 'id="nothing-published"' not in page
    assert content["red_list"][0]["name"] in page


def test_the_demo_leaves_something_on_every_to_do_list_where_it_makes_sense(credit_demo):
    """The black list's notices are issued with their deadline, all past now (what followed
    them is the rectification step's); the objection filed in the publicity period is
    answered (a pending one could not be, the lists being published)."""
    notices = CreditNotice.objects.filter(kind=NoticeKind.RECTIFICATION)
    states = sorted(notices.values_list("status", flat=True))
    assert states == [NoticeStatus.ISSUED] * len(states) and len(states) >= 7
    assert CreditNotice.objects.filter(kind=NoticeKind.COMMENDATION).count() == 34
    assert all(n.deadline < dt.date(2026, 1, 1) for n in notices)
    assert Objection.objects.get().status == "rejected"
    assert AssessmentWindow.objects.get(year=2024).is_open

    today = timezone.localdate()
    bureau = {
        item.label: item for item in hooks.credit_todos(credit_demo.accounts["bureau"], today)
    }
    assert bureau["已过整改期限的整改通知"].count == len(states)
    assert bureau["2024年度待考核评分的小区"].count > 1000
    for role in ("street", "community", "association", "owners_committee"):
        items = list(hooks.credit_todos(credit_demo.accounts[role], today))
        assert [i.count for i in items if i.label == "2024年度待考核评分的小区"][0] > 0, role


def test_the_demo_has_rectification_notices_in_every_state(credit_demo, client):
    STEPS["credit-rectification"](credit_demo)
    notices = CreditNotice.objects.filter(kind=NoticeKind.RECTIFICATION)
    states = [n.status for n in notices]
    for status in NoticeStatus.values:
        assert status in states, status
    today = timezone.localdate()
    assert any(n.is_past_deadline(today) for n in notices)  # overdue, not closed
    assert notices.filter(summonses__recorded_at__isnull=False).count() >= 2
    assert notices.filter(key_supervision__removed_at__isnull=True).exists()
    assert notices.filter(deduction_event__isnull=False).count() == 1
    rectified = notices.get(status=NoticeStatus.RECTIFIED)
    assert [r.verdict for r in rectified.rounds.order_by("number")] == ["sent_back", "accepted"]
    street = credit_demo.accounts["street"]
    street_items = {
        item.label: item for item in hooks.rectification_todos(street, today) if item.count
    }
    assert street_items["待复查的整改回复"].count == 1
    assert client.get(reverse("credit:key_supervision")).context["page_obj"].paginator.count >= 1
    page = client.get(reverse("credit:commendations")).content.decode()
    assert "招投标" in page
