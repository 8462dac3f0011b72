"""The monthly figures by street, against a hand-worked month (March 2026, Beijing time).

Street A (东街道):
  1. 较急, raised 3-02 09:00, whistled 11:00 (review 2 h = 0.083 d) to 城管 and 消防, who
     report 3-03 11:00 (1 d) and 3-04 11:00 (2 d), both by their due 3-05 11:00; closed
     3-05 11:00 (1 d after the last report, due 3-06 11:00); confirmed 3-06 11:00 (1 d).
     Closed on time.
  2. 一般, raised 3-10 09:00, handled by the street 3-11 09:00 (1 d, due 3-12 09:00);
     confirmed 3-13 09:00 (2 d). Closed on time.
  3. 紧急, raised 3-20 09:00, whistled 3-21 21:00 (1.5 d: the review was due 3-21 09:00) to
     公安, who reports 3-22 21:00 (1 d, on its due); closed 3-23 21:00 (1 d). Closed late.
  4. 一般, raised 3-31 20:00, not yet reviewed.
  (5. raised 4-01 08:00 Beijing, 3-31 00:00 UTC: April's.)
  Raised 4, closed 3, on time 2; review (0.083 + 1 + 1.5) / 3 = 0.9; report (1 + 2 + 1) / 3
  = 1.3; close (1 + 1) / 2 = 1.0; confirm (1 + 2) / 2 = 1.5.
Street B (西街道):
  6. 较急, raised 3-05 09:00, whistled 10:00 (0.04 d) to 城管, who reports 3-09 10:00 (4 d,
     a day late); closed 3-09 12:00 (0.08 d). Raised 1, closed 1, on time 0; review 0.0,
     report 4.0, close 0.1, no confirmation yet.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from cases import selectors, services
from tests.signin import verified_login

from .conftest import SHANGHAI, dispatch_of, raise_case


def at(month, day, hour):
    return dt.datetime(2026, month, day, hour, tzinfo=SHANGHAI)


def report(user, case, department, now):
    services.dispatch_report(
        user=user, dispatch=dispatch_of(case, department), action="处置", result="已处置", now=now
    )


@pytest.fixture
def march(
    community_officer,
    other_community_officer,
    street_officer,
    other_street_officer,
    compound_a,
    compound_b,
    fire_lane,
    chengguan,
    xiaofang,
    chengguan_user,
    xiaofang_user,
    db,
):
    from portal.choices import Role
    from portal.models import Department
    from tests.factories import UserFactory

    gongan = Department.objects.get(code="gongan")
    gongan_user = UserFactory(role=Role.DEPARTMENT, department=gongan)
    # 1
    case = raise_case(community_officer, compound_a, fire_lane, urgency="urgent", now=at(3, 2, 9))
    services.case_whistle(
        user=street_officer, case=case, departments=[chengguan, xiaofang], now=at(3, 2, 11)
    )
    report(chengguan_user, case, chengguan, at(3, 3, 11))
    report(xiaofang_user, case, xiaofang, at(3, 4, 11))
    services.case_close(user=street_officer, case=case, now=at(3, 5, 11))
    services.case_confirm(user=community_officer, case=case, resolved=True, now=at(3, 6, 11))
    # 2
    case = raise_case(community_officer, compound_a, fire_lane, urgency="normal", now=at(3, 10, 9))
    services.case_handle(user=street_officer, case=case, note="街道已协调", now=at(3, 11, 9))
    services.case_confirm(user=community_officer, case=case, resolved=True, now=at(3, 13, 9))
    # 3
    case = raise_case(
        community_officer, compound_a, fire_lane, urgency="critical", now=at(3, 20, 9)
    )
    services.case_whistle(user=street_officer, case=case, departments=[gongan], now=at(3, 21, 21))
    report(gongan_user, case, gongan, at(3, 22, 21))
    services.case_close(user=street_officer, case=case, now=at(3, 23, 21))
    # 4 and 5
    raise_case(community_officer, compound_a, fire_lane, urgency="normal", now=at(3, 31, 20))
    raise_case(community_officer, compound_a, fire_lane, urgency="normal", now=at(4, 1, 8))
    # 6
    case = raise_case(
        other_community_officer, compound_b, fire_lane, urgency="urgent", now=at(3, 5, 9)
    )
    services.case_whistle(
        user=other_street_officer, case=case, departments=[chengguan], now=at(3, 5, 10)
    )
    report(chengguan_user, case, chengguan, at(3, 9, 10))
    services.case_close(user=other_street_officer, case=case, now=at(3, 9, 12))


def figures_of(rows):
    return {
        row.street.name: (
            row.raised,
            row.closed,
            row.closed_on_time,
            row.review_days,
            row.report_days,
            row.close_days,
            row.confirm_days,
        )
        for row in rows
    }


def test_the_monthly_figures_match_the_hand_worked_example(march):
    assert figures_of(selectors.monthly_figures(year=2026, month=3)) == {
        "东街道": (4, 3, 2, 0.9, 1.3, 1.0, 1.5),
        "西街道": (1, 1, 0, 0.0, 4.0, 0.1, None),
    }


def test_a_case_raised_after_midnight_in_beijing_counts_in_the_next_month(march):
    assert figures_of(selectors.monthly_figures(year=2026, month=4)) == {
        "东街道": (1, 0, 0, None, None, None, None)
    }


def test_the_figures_cost_two_queries(march, django_assert_num_queries):
    with django_assert_num_queries(2):
        selectors.monthly_figures(year=2026, month=3)


def test_the_bureau_reads_the_figures_page(client, march, bureau_user):
    verified_login(client, bureau_user)
    page = client.get(reverse("cases:figures"), {"month": "2026-03"}).content.decode()
    assert "东街道" in page and "西街道" in page and "1.3" in page


def test_the_figures_are_the_bureaus_only(client, street_officer):
    verified_login(client, street_officer)
    assert client.get(reverse("cases:figures")).status_code == 404


def test_a_bad_month_falls_back_to_this_month(client, bureau_user):
    verified_login(client, bureau_user)
    assert client.get(reverse("cases:figures"), {"month": "2026-13"}).status_code == 200
