"""The page of suggested petitions scores: the year's complaints of each compound, the
derivation, and beside it the officers' own petitions score (credit.Assessment)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from complaints import services
from complaints.choices import Verification
from complaints.models import PetitionsFormula
from credit.models import Assessment, Indicator

from .conftest import SHANGHAI

pytestmark = pytest.mark.django_db


def test_the_page_shows_the_derivation_beside_the_officers_score(
    client_of,
    bureau_user,
    community_officer,
    firm_user,
    street_officer,
    other_street_officer,
    compound_a,
):
    compound_a.households = 1200
    compound_a.save()
    received = dt.datetime(2024, 5, 6, 9, tzinfo=SHANGHAI)
    for i in range(9):
        complaint = services.complaint_enter(
            user=community_officer,
            compound=compound_a,
            category="卫生",
            text=f"垃圾{i}",
            received_at=received,
            now=received,
        )
        if i < 8:
            late = i == 7
            services.complaint_answer(
                user=firm_user,
                complaint=complaint,
                answer="已处理",
                now=received + dt.timedelta(days=20 if late else 1),
            )
        if i < 6:
            services.complaint_verify(
                user=community_officer,
                complaint=complaint,
                verification=Verification.RESOLVED,
                now=received + dt.timedelta(days=2),
            )
    indicator, _ = Indicator.objects.get_or_create(
        code="petitions", defaults={"name": "业主信访处理"}
    )
    Assessment.objects.create(
        year=2024,
        compound=compound_a,
        firm=compound_a.firm,
        indicator=indicator,
        assessor_role="street",
        score=Decimal("85"),
    )
    page = client_of(bureau_user).get(reverse("complaints:scores") + "?year=2024")
    assert page.status_code == 200
    [row] = page.context["rows"]
    d = row.derivation
    assert (d.households, d.complaints, d.on_time, d.resolved) == (1200, 9, 7, 6)
    assert d.score == Decimal("78.33")  # the docs' example
    assert [score for _role, score in row.officers] == [Decimal("85.00")]
    assert "78.33" in page.content.decode()
    # the street sees its own compound, another street none
    assert (
        len(
            client_of(street_officer)
            .get(reverse("complaints:scores") + "?year=2024")
            .context["rows"]
        )
        == 1
    )
    assert (
        client_of(other_street_officer)
        .get(reverse("complaints:scores") + "?year=2024")
        .context["rows"]
        == []
    )
    # the bureau's own parameters of the year
    PetitionsFormula.objects.create(year=2024, k1=Decimal(0), k2=Decimal(0), k3=Decimal(0))
    [row] = client_of(bureau_user).get(reverse("complaints:scores") + "?year=2024").context["rows"]
    assert row.derivation.score == Decimal("100.00")


def test_a_firm_may_not_see_the_scores(client_of, firm_user):
    assert client_of(firm_user).get(reverse("complaints:scores")).status_code == 404


def test_the_bureau_sets_the_years_formula_and_others_may_not(
    client_of, bureau_user, street_officer
):
    url = reverse("complaints:scores") + "?year=2024"
    data = {"start": "100", "threshold": "4", "k1": "3", "k2": "25", "k3": "35"}
    assert client_of(street_officer).post(url, data).status_code == 404
    assert not PetitionsFormula.objects.exists()
    assert client_of(bureau_user).post(url, {**data, "k1": "-1"}).status_code == 400
    assert not PetitionsFormula.objects.exists()
    assert client_of(bureau_user).post(url, data).status_code == 302
    formula = PetitionsFormula.objects.get(year=2024)
    assert (formula.threshold, formula.k1, formula.k3) == (Decimal(4), Decimal(3), Decimal(35))
    assert formula.history.get().history_change_reason == "formula set"
