"""The credit pages answer any query string and posted value with a page or a message, never
a 500, and store no value past its bound."""

from __future__ import annotations

import pytest
from django.urls import reverse

from credit import services
from credit.models import RuleSet

YEAR = 2023
LONG = "长" * 100_000
CODES = ("quality", "satisfaction", "contract", "supervision", "decisions", "petitions")


@pytest.mark.parametrize("value", ["²", "٣", "99999999999999999999", "-1", LONG])
@pytest.mark.parametrize("name", ["street", "community", "page"])
def test_the_progress_page_reads_what_it_cannot_use_as_not_given(
    client_of, bureau_user, compound_a, name, value
):
    response = client_of(bureau_user).get(reverse("credit:progress", args=[YEAR]), {name: value})
    assert response.status_code == 200
    assert response.context["street_id"] is None or name != "street"


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("credit:run_list", {"page": "²"}),
        ("credit:event_list", {"year": "²", "firm": LONG, "kind": "²"}),
        ("credit:notice_list", {"state": LONG, "page": "-1"}),
        ("credit:window_list", {"year": "99999999999999999999"}),
    ],
)
def test_the_credit_lists_answer_any_query(client_of, bureau_user, db, name, query):
    assert client_of(bureau_user).get(reverse(name), query).status_code == 200


def test_publicity_days_beyond_any_period_are_refused_by_the_rule_set_form(
    client_of, bureau_user, db
):
    rule_set = services.rule_set_for_year(user=None, year=YEAR)
    data = {
        "min_indicators": 4,
        "bonus_cap": "5",
        "threshold_a": "90",
        "threshold_b": "80",
        "threshold_c": "65",
        "publicity_days": 3000000,
        **{f"weight_{code}": "10" for code in CODES},
    }
    response = client_of(bureau_user).post(
        reverse("credit:rule_set_edit", args=[rule_set.pk]), data
    )
    assert response.status_code == 200
    assert "publicity_days" in response.context["form"].errors
    assert RuleSet.objects.get(pk=rule_set.pk).publicity_days == 7


def test_a_100000_character_change_note_is_refused(client_of, bureau_user, db):
    from credit.forms import PublishForm

    assert not PublishForm({"change_note": LONG}).is_valid()
