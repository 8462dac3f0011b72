"""The public lists say why and until when: the proposed list during publicity (with the
firms whose objection awaits an answer), every listed firm's grade, score, veto or deductions
and the dates of its listing by the rule set (a veto may outlast the next publication), the
listing history on the public firm page, and credit repair ending a black listing for good."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.urls import reverse

from credit import listing
from credit import publication as publishing
from credit.forms.rule_sets import RuleSetForm
from credit.models import Publication, PublicationVersion, RuleSet
from credit.services import (
    repair_application_approve,
    repair_application_file,
    rule_set_copy,
    rule_set_for_year,
)
from tests.factories import CompoundFactory

from .helpers import assess, event, rate
from .publishing import CODES, YEAR, pdf, rating_of

SHANGHAI = ZoneInfo("Asia/Shanghai")
# The 2023 lists go into publicity on 13 May 2024 and are published on 21 May 2024; the 2024
# lists a year later.
OPENED = {YEAR: dt.datetime(2024, 5, 13, 9, tzinfo=SHANGHAI)}
PUBLISHED = {YEAR: dt.datetime(2024, 5, 21, 10, tzinfo=SHANGHAI)}
OPENED[YEAR + 1] = OPENED[YEAR].replace(year=2025)
PUBLISHED[YEAR + 1] = PUBLISHED[YEAR].replace(year=2025)
DEDUCTION_REASON = "行政处罚：消防设施维护不到位"
VETO_REASON = "发生重大安全责任事故"


@pytest.fixture(autouse=True)
def _media_and_cache(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def compound_v(compound_a):
    return CompoundFactory(community=compound_a.community, name="中苑小区")


def rated(year, compounds, capture, *, events=True):
    """Firm A scores 92 (red list); firm B 70, less 11 points of deductions (black list by
    its deductions); firm V 85 with a veto (black list by the veto)."""
    compound_a, compound_b, compound_v = compounds
    for compound, score in ((compound_a, 92), (compound_b, 70), (compound_v, 85)):
        for code in CODES:
            assess(year, compound, compound.firm, code, "street", score)
    if events:
        event(year, compound_b.firm, "deduction", 6, reason=DEDUCTION_REASON)
        event(year, compound_b.firm, "deduction", 5, reason="有效投诉（信访核实）")
        event(year, compound_v.firm, "veto", reason=VETO_REASON)
    return rate(year, capture)


def in_publicity(bureau_user, run) -> Publication:
    return publishing.publication_create(user=bureau_user, run=run, now=OPENED[run.year])


def publish(bureau_user, publication) -> PublicationVersion:
    return publishing.publication_publish(
        user=bureau_user, publication=publication, now=PUBLISHED[publication.year]
    )


@pytest.fixture
def compounds(compound_a, compound_b, compound_v):
    return compound_a, compound_b, compound_v


@pytest.fixture
def run(compounds, django_capture_on_commit_callbacks):
    return rated(YEAR, compounds, django_capture_on_commit_callbacks)


@pytest.fixture
def publication(bureau_user, run):
    return in_publicity(bureau_user, run)


@pytest.fixture
def published(bureau_user, publication):
    return publish(bureau_user, publication)


def row_of(html: str, credit_code: str) -> str:
    """The table row of a firm on the page (the first one)."""
    start = html.index(f'data-credit-code="{credit_code}"')
    return html[start : html.index("</tr>", start)]


# --- publicity -------------------------------------------------------------------------------


def test_the_proposed_list_is_public_during_publicity_then_the_final_list_replaces_it(
    client, bureau_user, publication, run, compounds, other_firm_user, time_machine
):
    firm_a, firm_b, firm_v = (c.firm for c in compounds)
    time_machine.move_to(OPENED[YEAR] + dt.timedelta(days=2))
    publishing.objection_file(
        user=other_firm_user,
        publication=publication,
        rating=rating_of(run, firm_b),
        text="扣分所涉投诉已办结，请复核。",
    )

    page = client.get(reverse("credit:redblack"))
    assert page.status_code == 200
    html = page.content.decode()
    assert page.context["version"] is None
    assert 'id="proposed-2023"' in html
    assert "公示" in html and "2024-05-20 09:00" in html  # the period's end: the deadline
    # How to object: a firm signs in and objects on the publicity notice's page.
    sign_in = (
        reverse("login") + "?next=" + reverse("credit:publication_detail", args=[publication.pk])
    )
    assert sign_in in html
    assert "异议处理中" in row_of(html, firm_b.credit_code)
    assert "异议处理中" not in row_of(html, firm_v.credit_code)
    assert "异议处理中" not in row_of(html, firm_a.credit_code)
    # The year's own address shows the proposed list too, before anything is published.
    assert client.get(reverse("credit:redblack_year", args=[YEAR])).status_code == 200

    objection = publication.objections.get()
    publishing.objection_answer(
        user=bureau_user, objection=objection, accept=False, answer="经复核，扣分无误。"
    )
    answered = client.get(reverse("credit:redblack")).content.decode()
    assert "异议处理中" not in answered  # the cached page follows the objection's answer

    time_machine.move_to(PUBLISHED[YEAR])
    version = publish(bureau_user, publication)
    final = client.get(reverse("credit:redblack"))
    html = final.content.decode()
    assert final.context["version"].pk == version.pk
    assert 'id="proposed-2023"' not in html
    assert version.digest in html
    assert firm_b.name in html and firm_v.name in html


def test_a_year_in_publicity_beside_a_published_year_shows_both_clearly(
    client, bureau_user, published, compounds, django_capture_on_commit_callbacks
):
    later = rated(YEAR + 1, compounds, django_capture_on_commit_callbacks, events=False)
    in_publicity(bureau_user, later)

    html = client.get(reverse("credit:redblack")).content.decode()
    proposed = html.index('id="proposed-2024"')
    final = html.index('id="version-info"')
    assert proposed < final
    assert published.digest in html[final:]
    # The proposed section names itself as not final; the published one as final.
    assert "不是最终名单" in html[proposed:final] or "非最终" in html[proposed:final]
    assert 'id="published-heading"' in html
    year_page = client.get(reverse("credit:redblack_year", args=[YEAR + 1]))
    assert year_page.status_code == 200 and year_page.context["version"] is None
    assert 'id="proposed-2024"' in year_page.content.decode()
    # The older year's own page shows its final list without the proposal of the next.
    older = client.get(reverse("credit:redblack_year", args=[YEAR])).content.decode()
    assert 'id="proposed-2024"' not in older


def test_the_proposed_list_says_why_and_until_when(publication, compounds):
    proposal = listing.proposal(publication)
    black = {entry.credit_code: entry for entry in proposal.black}
    firm_b, firm_v = compounds[1].firm, compounds[2].firm
    assert black[firm_b.credit_code].listed_on is None  # listed once published
    assert black[firm_b.credit_code].until_year == YEAR + 1
    assert [e.reason for e in black[firm_b.credit_code].events][0] == DEDUCTION_REASON
    assert black[firm_v.credit_code].vetoes[0].reason == VETO_REASON


# --- why and until ---------------------------------------------------------------------------


def test_every_listed_firm_shows_why_and_until_when(client, published, compounds):
    firm_a, firm_b, firm_v = (c.firm for c in compounds)
    lists = listing.published_lists(version=published)
    red = {entry.credit_code: entry for entry in lists.red}
    black = {entry.credit_code: entry for entry in lists.black}

    deducted = black[firm_b.credit_code]
    assert (deducted.grade, deducted.score, deducted.vetoed) == ("D", 59, False)
    assert deducted.deductions == 11
    assert [(e.kind, e.points, e.reason) for e in deducted.events] == [
        ("deduction", 6, DEDUCTION_REASON),
        ("deduction", 5, "有效投诉（信访核实）"),
    ]
    assert deducted.listed_on == dt.date(2024, 5, 21)
    assert (deducted.ends_on, deducted.until_year) == (None, YEAR + 1)

    vetoed = black[firm_v.credit_code]
    assert vetoed.vetoed and vetoed.grade == "D"
    assert [e.reason for e in vetoed.vetoes] == [VETO_REASON]
    assert vetoed.until_year == YEAR + 1  # the default: one year, as any black listing
    assert red[firm_a.credit_code].until_year == YEAR + 1

    html = client.get(reverse("credit:redblack")).content.decode()
    row = row_of(html, firm_b.credit_code)
    assert DEDUCTION_REASON in row and "−6.00" in row and "2024-05-21" in row
    assert "2024" in row  # until the publication of the 2024 list
    assert VETO_REASON in row_of(html, firm_v.credit_code)


def test_an_event_recorded_after_the_rating_is_shown_with_a_warning_and_the_rated_figures_stand(
    client, published, compounds
):
    firm_b = compounds[1].firm
    event(YEAR, firm_b, "deduction", 3, reason="评级后补录的扣分")

    deducted = {e.credit_code: e for e in listing.published_lists(version=published).black}
    assert deducted[firm_b.credit_code].deductions == 11  # what the rating counted
    assert deducted[firm_b.credit_code].events_changed
    cache.clear()
    row = row_of(client.get(reverse("credit:redblack")).content.decode(), firm_b.credit_code)
    assert "评级后信用事件有变更" in row


def publish_next_year(bureau_user, compounds, capture) -> PublicationVersion:
    """The 2024 lists, without events: firm B is rated C and firm V B this time."""
    later = rated(YEAR + 1, compounds, capture, events=False)
    return publish(bureau_user, in_publicity(bureau_user, later))


def test_the_next_years_publication_ends_the_listings_of_the_year(
    client, bureau_user, published, compounds, django_capture_on_commit_callbacks
):
    digest = published.digest
    publish_next_year(bureau_user, compounds, django_capture_on_commit_callbacks)
    lists = listing.published_lists(version=published)
    for entry in lists.red + lists.black:
        assert (entry.ends_on, entry.ended_by) == (dt.date(2025, 5, 21), listing.ENDED_BY_NEXT_LIST)
    later = PublicationVersion.objects.get(publication__year=YEAR + 1)
    assert listing.published_lists(version=later).carried == []
    published.refresh_from_db()
    assert published.digest == digest == hashlib.sha256(published.content.encode()).hexdigest()


def test_a_veto_outlasts_the_next_publication_when_the_rule_set_says_so(
    client, bureau_user, compounds, django_capture_on_commit_callbacks
):
    firm_b, firm_v = compounds[1].firm, compounds[2].firm
    rule_set_for_year(user=None, year=YEAR)
    RuleSet.objects.filter(year=YEAR).update(veto_listing_years=2)
    first = publish(
        bureau_user,
        in_publicity(bureau_user, rated(YEAR, compounds, django_capture_on_commit_callbacks)),
    )
    digest = first.digest
    second = publish_next_year(bureau_user, compounds, django_capture_on_commit_callbacks)

    earlier = {e.credit_code: e for e in listing.published_lists(version=first).black}
    assert earlier[firm_b.credit_code].ends_on == dt.date(2025, 5, 21)
    assert earlier[firm_v.credit_code].ends_on is None
    assert earlier[firm_v.credit_code].until_year == YEAR + 2

    # The 2024 page shows the vetoed firm as still listed, from the 2023 list.
    lists = listing.published_lists(version=second)
    assert [e.credit_code for e in lists.carried] == [firm_v.credit_code]
    assert lists.carried[0].year == YEAR and lists.carried[0].vetoes[0].reason == VETO_REASON
    html = client.get(reverse("credit:redblack")).content.decode()
    carried = html[html.index('id="carried-list"') :]
    assert firm_v.name in carried and VETO_REASON in carried and "2025" in carried
    assert firm_b.name not in carried
    # The frozen versions are untouched.
    for version in PublicationVersion.objects.all():
        assert hashlib.sha256(version.content.encode()).hexdigest() == version.digest
    first.refresh_from_db()
    assert first.digest == digest


def test_the_veto_years_are_a_rule_set_parameter_edited_and_copied(db):
    rule_set = rule_set_for_year(user=None, year=YEAR)
    assert rule_set.veto_listing_years == 1
    assert "veto_listing_years" in RuleSetForm.Meta.fields
    RuleSet.objects.filter(pk=rule_set.pk).update(veto_listing_years=3)
    rule_set.refresh_from_db()
    assert rule_set_copy(user=None, source=rule_set, year=YEAR + 1).veto_listing_years == 3


def test_the_rule_set_form_edits_the_veto_years_within_bounds(client_of, bureau_user, db):
    rule_set = rule_set_for_year(user=None, year=YEAR)
    data = {
        "min_indicators": 4,
        "bonus_cap": "5",
        "threshold_a": "90",
        "threshold_b": "80",
        "threshold_c": "65",
        "publicity_days": 7,
        "repair_decision_days": 5,
        **{f"weight_{w.indicator.code}": str(w.weight) for w in rule_set.weights.all()},
    }
    client = client_of(bureau_user)
    url = reverse("credit:rule_set_edit", args=[rule_set.pk])
    for refused in ("0", "11", ""):
        response = client.post(url, data | {"veto_listing_years": refused})
        assert response.status_code == 200
        assert "veto_listing_years" in response.context["form"].errors
    assert RuleSet.objects.get(pk=rule_set.pk).veto_listing_years == 1
    assert client.post(url, data | {"veto_listing_years": "2"}).status_code == 302
    assert RuleSet.objects.get(pk=rule_set.pk).veto_listing_years == 2


# --- the public firm page --------------------------------------------------------------------


def firm_page(client, firm):
    return client.get(reverse("companies:public_firm_detail", args=[firm.credit_code]))


def test_the_public_firm_page_shows_the_listing_history(
    client, bureau_user, published, compounds, django_capture_on_commit_callbacks
):
    firm_a, firm_b = compounds[0].firm, compounds[1].firm
    publish_next_year(bureau_user, compounds, django_capture_on_commit_callbacks)

    page = firm_page(client, firm_b)
    history = page.context["listing_history"]
    assert [(e.year, e.color, e.numbers, e.listed_on, e.ends_on) for e in history] == [
        (YEAR, "black", [1], dt.date(2024, 5, 21), dt.date(2025, 5, 21))
    ]
    html = page.content.decode()
    table = html[html.index('id="listing-history"') :]
    assert DEDUCTION_REASON in table and "2024-05-21" in table and "2025-05-21" in table
    red = firm_page(client, firm_a).context["listing_history"]
    # Firm A is on the red list both years.
    assert [(e.year, e.color, e.ends_on, e.until_year) for e in red] == [
        (YEAR, "red", dt.date(2025, 5, 21), None),
        (YEAR + 1, "red", None, YEAR + 2),
    ]


def test_a_firm_never_listed_has_no_listing_history(client, published, compounds):
    third = CompoundFactory(name="北苑小区").firm
    page = firm_page(client, third)
    assert page.context["listing_history"] == []
    assert b'id="listing-history"' not in page.content


# --- credit repair ---------------------------------------------------------------------------


@pytest.fixture
def repaired(bureau_user, published, other_firm_user, time_machine):
    time_machine.move_to(dt.datetime(2024, 7, 1, 9, tzinfo=SHANGHAI))
    application = repair_application_file(
        user=other_firm_user, rectification="已完成整改。", evidence=[pdf()]
    )
    return repair_application_approve(
        user=bureau_user,
        application=application,
        now=dt.datetime(2024, 7, 4, 15, tzinfo=SHANGHAI),
    )


def test_a_repaired_firm_is_not_shown_as_currently_black(client, repaired, compounds, published):
    firm_b = compounds[1].firm
    page = firm_page(client, firm_b)
    (grade,) = page.context["credit_record"]
    assert grade["number"] == 2 and grade["repaired_on"] == dt.date(2024, 7, 4)
    (entry,) = page.context["listing_history"]
    assert entry.repaired and entry.ends_on == dt.date(2024, 7, 4) and entry.numbers == [1]
    html = page.content.decode()
    assert "信用修复" in html and "2024-07-04" in html
    assert 'text-bg-danger">D' not in html  # the D of the run is not shown as a black listing

    # The current list leaves the firm out; version 1 says its listing ended by the repair.
    current = client.get(reverse("credit:redblack")).content.decode()
    assert firm_b.credit_code not in current[current.index('id="black-list"') :]
    first = {e.credit_code: e for e in listing.published_lists(version=published).black}
    assert first[firm_b.credit_code].ended_by == listing.ENDED_BY_REPAIR
    assert first[firm_b.credit_code].ends_on == dt.date(2024, 7, 4)


def test_republishing_the_year_does_not_put_a_repaired_firm_back(
    bureau_user, repaired, run, compounds, published, django_capture_on_commit_callbacks
):
    firm_b = compounds[1].firm
    digests = dict(PublicationVersion.objects.values_list("number", "digest"))
    before = publishing.lists_content(
        year=YEAR, run=run, number=9, published_at=PUBLISHED[YEAR], change_note=""
    )
    assert firm_b.credit_code not in [row["credit_code"] for row in before["black_list"]]

    # A correction re-rates the year; its new version still leaves the repaired firm out.
    corrected = rate(YEAR, django_capture_on_commit_callbacks)
    publication = Publication.objects.get(year=YEAR)
    publishing.publication_set_run(user=bureau_user, publication=publication, run=corrected)
    third = publishing.publication_publish(
        user=bureau_user, publication=publication, change_note="更正"
    )
    data = json.loads(third.content)
    assert firm_b.credit_code not in [row["credit_code"] for row in data["black_list"]]
    assert compounds[2].firm.credit_code in [row["credit_code"] for row in data["black_list"]]
    assert [row["credit_code"] for row in data["red_list"]] == [compounds[0].firm.credit_code]
    # Everything else of the content keeps its shape, and the earlier digests are unchanged.
    original = json.loads(published.content)
    assert set(data) == set(original)
    assert data["red_list"] == original["red_list"]
    for number, digest in digests.items():
        version = PublicationVersion.objects.get(publication=publication, number=number)
        assert version.digest == digest == hashlib.sha256(version.content.encode()).hexdigest()
