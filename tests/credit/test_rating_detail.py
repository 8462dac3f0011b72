"""The grade explained ("why this grade"): the final score to two decimals (the exact value on
request), every credit event of the firm and year, the veto with its reason first; a firm
opens its own rating once the bureau has shown it, nobody else's."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from credit import publication
from credit.models import Rating

from .helpers import assess, event, rate

YEAR = 2023
CODES = ("quality", "satisfaction", "contract", "supervision")


@pytest.fixture
def rated(compound_a, compound_b, django_capture_on_commit_callbacks):
    """Firm A: three scores per indicator, 90, 91 and 91, so S = 272/3 (90.67) and the final
    score 272/3 + 2 (bonus) - 1 (deduction) = 275/3, shown 91.67; vetoed, hence grade D.
    Firm B: 60 everywhere."""
    firm = compound_a.firm
    for code in CODES:
        for role, score in (("street", 90), ("community", 91), ("bureau", 91)):
            assess(YEAR, compound_a, firm, code, role, score)
        assess(YEAR, compound_b, compound_b.firm, code, "street", 60)
    event(YEAR, firm, "bonus", 2, date=dt.date(YEAR, 3, 1), reason="红心物业示范项目")
    event(YEAR, firm, "deduction", 1, date=dt.date(YEAR, 2, 1), reason="行政处罚")
    event(YEAR, firm, "veto", date=dt.date(YEAR, 9, 1), reason="发生重大安全责任事故")
    event(YEAR - 1, firm, "deduction", 5, reason="another year's")
    event(YEAR, compound_b.firm, "deduction", 7, reason="another firm's")
    return rate(YEAR, django_capture_on_commit_callbacks)


def page(client, rating: Rating) -> str:
    response = client.get(reverse("credit:rating_detail", args=[rating.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_final_score_shows_to_two_decimals_the_fraction_only_on_request(
    client_of, bureau_user, rated, compound_a
):
    rating = Rating.objects.get(run=rated, firm=compound_a.firm)
    html = page(client_of(bureau_user), rating)
    main, _sep, exact = html.partition('id="exact-values"')
    assert re.search(r'id="final-score">\s*91.67\s*<', main)
    assert "90.67" in main  # S, to two decimals as well
    assert "275/3" not in main and "272/3" not in main
    assert "275/3" in exact and "272/3" in exact


def test_every_event_of_the_firm_and_year_is_listed_the_veto_first(
    client_of, bureau_user, rated, compound_a
):
    rating = Rating.objects.get(run=rated, firm=compound_a.firm)
    response = client_of(bureau_user).get(reverse("credit:rating_detail", args=[rating.pk]))
    events = [(e.kind, e.reason) for e in response.context["events"]]
    assert events == [
        ("veto", "发生重大安全责任事故"),
        ("deduction", "行政处罚"),
        ("bonus", "红心物业示范项目"),
    ]
    table = response.content.decode().partition('id="event-list"')[2].partition("</table>")[0]
    assert table.index("一票否决") < table.index("发生重大安全责任事故") < table.index("行政处罚")
    for text in ("2023-09-01", "+ 2.00", "− 1.00", "扣分", "加分"):
        assert text in table
    assert not response.context["events_changed"]


def test_an_event_recorded_after_the_run_is_flagged(client_of, bureau_user, rated, compound_a):
    rating = Rating.objects.get(run=rated, firm=compound_a.firm)
    event(YEAR, compound_a.firm, "bonus", 1, reason="later commendation")
    response = client_of(bureau_user).get(reverse("credit:rating_detail", args=[rating.pk]))
    assert response.context["events_changed"]


def test_a_firm_opens_its_own_rating_once_under_publicity(client_of, bureau_user, firm_user, rated):
    rating = Rating.objects.get(run=rated, firm=firm_user.firm)
    client = client_of(firm_user)
    url = reverse("credit:rating_detail", args=[rating.pk])
    assert client.get(url).status_code == 404  # a run the bureau has not shown anyone
    publication.publication_create(user=bureau_user, run=rated)
    html = page(client, rating)
    assert "发生重大安全责任事故" in html
    assert "credit-evidence" not in html  # the evidence is the bureau's


def test_a_firm_never_opens_another_firms_rating(
    client_of, bureau_user, other_firm_user, firm_user, rated
):
    publication.publication_create(user=bureau_user, run=rated)
    rating = Rating.objects.get(run=rated, firm=firm_user.firm)
    response = client_of(other_firm_user).get(reverse("credit:rating_detail", args=[rating.pk]))
    assert response.status_code == 404


def test_a_firm_still_opens_the_rating_it_objected_to_after_a_rerun(
    client_of, bureau_user, firm_user, rated, compound_a, django_capture_on_commit_callbacks
):
    listed = publication.publication_create(user=bureau_user, run=rated)
    rating = Rating.objects.get(run=rated, firm=firm_user.firm)
    publication.objection_file(user=firm_user, publication=listed, rating=rating, text="x")
    publication.objection_answer(
        user=bureau_user, objection=listed.objections.get(), accept=True, answer=""
    )
    rerun = rate(YEAR, django_capture_on_commit_callbacks)
    publication.publication_set_run(user=bureau_user, publication=listed, run=rerun)
    # The objection's link ("why this grade") points at the first run's rating: it opens.
    objection = client_of(firm_user).get(
        reverse("credit:objection_detail", args=[listed.objections.get().pk])
    )
    assert reverse("credit:rating_detail", args=[rating.pk]) in objection.content.decode()
    page(client_of(firm_user), rating)
