"""What the credit app puts on each role's landing page: the year's grades for the bureau and
the association, a firm's published grade, notices and objections, and everybody's waiting
work with its deadline, each in a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from credit import hooks, progress, rectification
from credit import publication as services
from credit.choices import RunStatus
from credit.models import CreditNotice, NoticeKind, NoticeStatus, Rating, RatingRun
from credit.services import assessment_window_open, rule_set_for_year
from portal import workbench
from portal.choices import Role
from tests.factories import CompoundFactory, UserFactory

from .helpers import assess
from .publishing import T0, YEAR, open_publicity, pdf, rated_run, rating_of

DURING = T0 + dt.timedelta(days=2)
AFTER = T0 + dt.timedelta(days=8)
LATER = AFTER + dt.timedelta(days=60)  # past the rectification deadline


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def publication(bureau_user, run):
    with time_machine.travel(T0, tick=False):
        return open_publicity(bureau_user, run)


@pytest.fixture
def published(bureau_user, publication):
    with time_machine.travel(AFTER, tick=False):
        services.publication_publish(user=bureau_user, publication=publication)
        services.notices_issue(user=bureau_user, publication=publication)
    return publication


def todos(user, when: dt.datetime) -> dict[str, workbench.Todo]:
    """The user's credit to-do items at `when`, by label (the page leaves out empty ones)."""
    with time_machine.travel(when, tick=False):
        items = hooks.credit_todos(user, timezone.localdate())
        return {item.label: item for item in items if item.count}


def card(name: str, user, today: dt.date | None = None) -> dict | None:
    shown = workbench.cards_for(user, today or timezone.localdate())
    return next((c.context for c in shown if c.card.name == name), None)


# --- the grades of the year --------------------------------------------------------------------


@pytest.mark.parametrize("who", ["bureau_user", "association_user"])
def test_the_city_readers_see_the_latest_rated_years_grades(who, request, run, client_of):
    user = request.getfixturevalue(who)
    shown = card("credit.grades", user)
    assert shown["run"] == run
    assert shown["summary"].grades == {"A": 1, "B": 1, "C": 0, "D": 1}
    assert shown["version"] is None  # not published yet
    html = client_of(user).get(reverse("portal:dashboard")).content.decode()
    assert 'id="card-creditgrades"' in html
    assert reverse("credit:run_detail", args=[run.pk]) in html


def test_the_grades_card_shows_the_latest_finished_run_of_the_latest_year(
    bureau_user, run, compound_a
):
    RatingRun.objects.create(
        year=YEAR + 1, rule_set=rule_set_for_year(user=None, year=YEAR + 1), status="failed"
    )
    assert card("credit.grades", bureau_user)["run"] == run  # a failed run has no grades


@pytest.mark.parametrize("who", ["street_officer", "community_officer", "firm_user"])
def test_nobody_else_sees_the_citys_grades(who, request, run):
    assert card("credit.grades", request.getfixturevalue(who)) is None


def test_the_grades_card_links_the_published_list(bureau_user, published, run):
    shown = card("credit.grades", bureau_user)
    assert (shown["version"].number, shown["version"].publication.year) == (1, YEAR)


# --- the bureau's waiting work -----------------------------------------------------------------


def test_a_pending_objection_waits_with_the_publicity_deadline(
    bureau_user, firm_user, publication, run
):
    with time_machine.travel(DURING, tick=False):
        services.objection_file(
            user=firm_user, publication=publication, rating=rating_of(run, firm_user.firm), text="x"
        )
    item = todos(bureau_user, AFTER)["待答复的异议"]
    assert (item.count, item.due) == (1, publication.period_end)
    assert item.url == reverse("credit:publication_detail", args=[publication.pk])
    # Lists with an objection pending cannot be published: that is not yet to do.
    assert "公示期已满、待发布的红黑榜" not in todos(bureau_user, AFTER)


def test_lists_wait_to_be_published_once_the_publicity_period_is_over(bureau_user, publication):
    assert "公示期已满、待发布的红黑榜" not in todos(bureau_user, DURING)
    item = todos(bureau_user, AFTER)["公示期已满、待发布的红黑榜"]
    assert (item.count, item.due) == (1, publication.period_end)


def test_firms_on_a_published_list_wait_for_their_notice(bureau_user, publication):
    with time_machine.travel(AFTER, tick=False):
        services.publication_publish(user=bureau_user, publication=publication)
    item = todos(bureau_user, AFTER)["已发布榜单中待发通知的企业"]
    assert item.count == 2  # the A firm's commendation, the D firm's rectification
    with time_machine.travel(AFTER, tick=False):
        services.notices_issue(user=bureau_user, publication=publication)
    assert "已发布榜单中待发通知的企业" not in todos(bureau_user, AFTER)


def test_rectification_notices_past_their_deadline_are_overdue(
    bureau_user, other_firm_user, published
):
    assert "已过整改期限的整改通知" not in todos(bureau_user, AFTER)
    notice = CreditNotice.objects.get(kind=NoticeKind.RECTIFICATION)
    item = todos(bureau_user, LATER)["已过整改期限的整改通知"]
    assert (item.count, item.overdue, item.due) == (1, 1, notice.deadline)
    assert item.url == reverse("credit:notice_list") + "?state=late"
    with time_machine.travel(LATER, tick=False):
        rectification.notice_close(user=bureau_user, notice=notice, outcome=NoticeStatus.OVERDUE)
    assert "已过整改期限的整改通知" not in todos(bureau_user, LATER)


def test_a_firms_answer_waits_for_the_bureaus_verdict(bureau_user, other_firm_user, published):
    notice = CreditNotice.objects.get(kind=NoticeKind.RECTIFICATION)
    with time_machine.travel(AFTER, tick=False):
        rectification.notice_respond(user=other_firm_user, notice=notice, text="已整改")
    item = todos(bureau_user, AFTER)["待审核的整改回复"]
    assert item.count == 1
    assert item.url == reverse("credit:notice_list") + "?state=answered"


def test_a_failed_run_waits_until_a_later_run_of_its_year(
    bureau_user, compound_a, django_capture_on_commit_callbacks
):
    rule_set = rule_set_for_year(user=None, year=YEAR)
    failed = RatingRun.objects.create(year=YEAR, rule_set=rule_set, status=RunStatus.FAILED)
    item = todos(bureau_user, T0)["失败的评价批次"]
    assert (item.count, item.url) == (1, reverse("credit:run_detail", args=[failed.pk]))
    rated_run(compound_a, CompoundFactory(), django_capture_on_commit_callbacks)
    assert "失败的评价批次" not in todos(bureau_user, T0)


def test_the_bureaus_work_is_the_bureaus_only(association_user, firm_user, published):
    assert "已过整改期限的整改通知" not in todos(association_user, LATER)


# --- a firm's home ---------------------------------------------------------------------------


def test_a_firm_sees_its_published_grade_with_its_indicator_scores(
    client_of, firm_user, published, run
):
    shown = card("credit.firm_grade", firm_user)
    rating = rating_of(run, firm_user.firm)
    assert (shown["rating"]["pk"], shown["rating"]["grade"], shown["rating"]["year"]) == (
        rating.pk,
        "A",
        YEAR,
    )
    assert [score for _name, score in shown["indicators"]] == [92] * 4
    client = client_of(firm_user)
    html = client.get(reverse("portal:dashboard")).content.decode()
    assert "92.00" in html
    why = reverse("credit:rating_detail", args=[rating.pk])
    assert why in html
    assert client.get(why).status_code == 200  # the link opens for the firm


def test_a_firm_sees_no_grade_before_publication(firm_user, publication):
    assert card("credit.firm_grade", firm_user) == {"rating": None}


def test_a_firm_sees_its_notices_and_objections_and_not_the_others(
    firm_user, other_firm_user, published
):
    mine = card("credit.firm_notices", firm_user)
    assert [n.kind for n in mine["notices"]] == [NoticeKind.COMMENDATION]
    theirs = card("credit.firm_notices", other_firm_user)
    assert [n.kind for n in theirs["notices"]] == [NoticeKind.RECTIFICATION]


def test_a_firm_must_answer_its_rectification_notice_by_the_deadline(
    other_firm_user, firm_user, published
):
    notice = CreditNotice.objects.get(kind=NoticeKind.RECTIFICATION)
    item = todos(other_firm_user, AFTER)["待回复的整改通知"]
    assert (item.count, item.overdue, item.due) == (1, 0, notice.deadline)
    assert item.url == reverse("credit:notice_detail", args=[notice.pk])
    assert todos(other_firm_user, LATER)["待回复的整改通知"].overdue == 1
    assert "待回复的整改通知" not in todos(firm_user, AFTER)  # a commendation needs no answer
    with time_machine.travel(AFTER, tick=False):
        rectification.notice_respond(user=other_firm_user, notice=notice, text="已整改")
    assert "待回复的整改通知" not in todos(other_firm_user, AFTER)


def test_a_firm_on_the_proposed_lists_may_object_until_the_period_ends(
    firm_user, other_firm_user, publication, run, compound_a
):
    during = todos(firm_user, DURING)
    (label,) = [label for label in during if str(YEAR) in label]
    assert timezone.localtime(publication.period_end).strftime("%Y-%m-%d %H:%M") in label
    assert during[label].url == reverse("credit:publication_detail", args=[publication.pk])
    assert not [label for label in todos(firm_user, AFTER) if str(YEAR) in label]
    with time_machine.travel(DURING, tick=False):
        services.objection_file(
            user=firm_user, publication=publication, rating=rating_of(run, firm_user.firm), text="x"
        )
    assert not [label for label in todos(firm_user, DURING) if str(YEAR) in label]


def test_a_firm_on_neither_list_has_nothing_to_object_to(db, publication, run):
    b_grade = Rating.objects.get(run=run, grade="B")
    user = UserFactory(role=Role.FIRM, firm=b_grade.firm)
    assert not [label for label in todos(user, DURING) if str(YEAR) in label]


# --- what each assessor must still assess -------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "missing"),
    [
        ("bureau_user", 3),
        ("association_user", 3),
        ("street_officer", 2),
        ("community_officer", 2),
        ("committee_user", 1),
    ],
)
def test_each_assessor_sees_the_compounds_of_its_area_still_to_assess(
    who, missing, request, compound_a, compound_b
):
    user = request.getfixturevalue(who)
    CompoundFactory(community=compound_a.community)  # street A has two compounds
    assess(YEAR, compound_b, compound_b.firm, "quality", "street", 80)
    assert todos(user, T0) == {}  # no window is open
    assessment_window_open(user=None, year=YEAR)
    item = todos(user, T0)[f"{YEAR}年度待考核评分的小区"]
    assert (item.count, item.due) == (missing, None)
    assert item.url.startswith(reverse("credit:assessment_grid", args=[YEAR]))


def test_a_score_of_the_own_role_takes_the_compound_off_the_list(
    street_officer, compound_a, client_of
):
    assessment_window_open(user=None, year=YEAR)
    assess(YEAR, compound_a, compound_a.firm, "quality", "community", 80)  # another role's
    item = todos(street_officer, T0)[f"{YEAR}年度待考核评分的小区"]
    assert item.count == 1
    grid = client_of(street_officer).get(item.url)
    assert [c.pk for c, _cells in grid.context["form"].rows()] == [compound_a.pk]
    assess(YEAR, compound_a, compound_a.firm, "quality", "street", 80)
    assert todos(street_officer, T0) == {}
    grid = client_of(street_officer).get(item.url)
    assert grid.context["form"].rows() == []


def test_a_firm_assesses_nothing(firm_user, compound_a):
    assessment_window_open(user=None, year=YEAR)
    assert todos(firm_user, T0) == {}


# --- a fixed number of queries ---------------------------------------------------------------


def test_the_landing_pieces_take_a_fixed_number_of_queries(
    bureau_user,
    firm_user,
    street_officer,
    published,
    compound_a,
    django_assert_max_num_queries,
):
    assessment_window_open(user=None, year=YEAR)
    assessment_window_open(user=None, year=YEAR + 1)
    for _ in range(40):
        CompoundFactory(community=compound_a.community)
    progress.tallies_refresh()  # the first read recounts what the set-up wrote
    # The assessments to do: the open windows, the marks to recount, the kept counts (two).
    for user, most in ((bureau_user, 11), (firm_user, 8), (street_officer, 4)):
        with time_machine.travel(LATER, tick=False):
            today = timezone.localdate()
            with django_assert_max_num_queries(most):
                list(hooks.credit_todos(user, today))
                for name in ("credit.grades", "credit.firm_grade", "credit.firm_notices"):
                    spec = workbench._cards[name]
                    if user.role in spec.roles:
                        spec.context(user, today)


def test_a_firm_sees_its_objections_and_their_state(firm_user, publication, run):
    with time_machine.travel(DURING, tick=False):
        services.objection_file(
            user=firm_user,
            publication=publication,
            rating=rating_of(run, firm_user.firm),
            text="x",
            attachments=[pdf()],
        )
    with time_machine.travel(DURING, tick=False):
        shown = card("credit.firm_notices", firm_user)
    assert [o.status for o in shown["objections"]] == ["pending"]
