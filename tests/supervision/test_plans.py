"""A plan: its seed fixed from the published list, its draw published and re-run by anyone."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from supervision import services
from supervision.models import Check, Plan
from tests.factories import CompoundFactory

from .conftest import make_plan

SCRIPT = Path(settings.BASE_DIR) / "scripts" / "spot_check_draw.py"


def test_the_seed_is_computed_from_the_latest_published_list_and_the_plan_start(
    draft_plan, published_list
):
    expected = hashlib.sha256(f"{published_list.digest}:2024-07-01".encode()).hexdigest()
    assert draft_plan.seed == expected
    assert draft_plan.basis_version == published_list


def test_no_plan_without_a_published_list(bureau_user, pool):
    with pytest.raises(ValidationError) as exc:
        make_plan(bureau_user, pool)
    assert exc.value.code == "no_list"


def test_only_bureau_staff_make_plans(published_list, street_officer, pool):
    with pytest.raises(ValidationError):
        make_plan(street_officer, pool)


def test_the_candidates_are_every_managed_compound_by_code_with_the_published_grade(
    plan, compound_a, compound_b
):
    candidates = json.loads(plan.document)["candidates"]
    assert [c["code"] for c in candidates] == sorted(c["code"] for c in candidates)
    grades = {c["code"]: c["grade"] for c in candidates}
    assert grades[compound_a.code] == "A" and grades[compound_b.code] == "D"
    assert hashlib.sha256(plan.document.encode()).hexdigest() == plan.document_digest


def test_a_grade_d_compound_is_checked_three_times_in_a_quarter(plan, compound_b):
    assert plan.checks.filter(compound=compound_b).count() == 3


def test_a_firm_without_a_published_grade_is_drawn_as_grade_c(
    published_list, bureau_user, pool, community_b
):
    newcomer = CompoundFactory(community=community_b, name="新苑小区")  # its firm was never rated
    plan = services.plan_publish(user=bureau_user, plan=make_plan(bureau_user, pool))
    entry = next(c for c in json.loads(plan.document)["candidates"] if c["code"] == newcomer.code)
    assert entry["grade"] is None
    assert plan.checks.filter(compound=newcomer).count() == 1  # C: four a year, one a quarter


def test_an_officer_is_never_drawn_for_a_compound_of_their_own_street(
    published_list, bureau_user, pool, street_officer, community_officer, compound_a
):
    for month in range(1, 13):  # twelve seeds
        start = dt.date(2025, month, 1)
        plan = services.plan_publish(
            user=bureau_user,
            plan=make_plan(
                bureau_user,
                pool,
                name=f"2025-{month}",
                start=start,
                end=start,
                checks_per_year={"A": 12, "B": 12, "C": 12, "D": 12},
            ),
        )
        own_street = plan.checks.filter(compound__community__street=compound_a.community.street)
        assert own_street.exists()
        for check in own_street:
            assert not check.inspector_ids() & {street_officer.pk, community_officer.pk}


def test_a_plan_cannot_be_drawn_twice(plan, bureau_user):
    with pytest.raises(ValidationError) as exc:
        services.plan_publish(user=bureau_user, plan=plan)
    assert exc.value.code == "published"


def test_the_independent_script_re_runs_the_published_draw_to_the_same_checks(plan, tmp_path):
    path = tmp_path / "plan.json"
    path.write_bytes(Client_download(plan))
    result = subprocess.run(
        [sys.executable, "-I", str(SCRIPT), str(path)], capture_output=True, text=True, check=True
    )
    lines = result.stdout.splitlines()
    assert lines[0] == f"sha256 of the file: {plan.document_digest}"
    assert "(matches its basis)" in lines[1]
    portal = [
        "\t".join([c.compound.code, str(c.number), str(c.first_inspector), str(c.second_inspector)])
        for c in Check.objects.filter(plan=plan)
        .select_related("compound", "first_inspector", "second_inspector")
        .order_by("compound__code", "number")
    ]
    assert lines[2:] == portal and portal


def Client_download(plan: Plan) -> bytes:  # noqa: N802
    from django.test import Client

    response = Client().get(reverse("supervision:plan_document", args=[plan.pk]))
    assert response.status_code == 200
    return response.content


def test_the_public_re_run_recomputes_the_draw_and_says_it_matches(plan, client):
    page = client.get(reverse("supervision:plan_rerun", args=[plan.pk]))
    assert page.status_code == 200
    assert 'class="alert alert-success" id="rerun-result"' in page.content.decode()


def test_the_public_plan_page_shows_seed_digests_and_display_names_not_usernames(
    plan, client, bureau_user
):
    page = client.get(reverse("supervision:plan_detail", args=[plan.pk])).content.decode()
    assert plan.seed in page and plan.document_digest in page
    check = plan.checks.select_related("first_inspector").first()
    assert check.first_inspector.full_name in page
    assert check.first_inspector.username not in page
    assert reverse("supervision:plan_document", args=[plan.pk]) in page


def test_a_draft_plan_is_not_public(draft_plan, client, client_of, bureau_user):
    assert client.get(reverse("supervision:plan_detail", args=[draft_plan.pk])).status_code == 404
    assert client.get(reverse("supervision:plan_document", args=[draft_plan.pk])).status_code == 404
    assert (
        client_of(bureau_user)
        .get(reverse("supervision:plan_detail", args=[draft_plan.pk]))
        .status_code
        == 200
    )


def test_the_bureau_creates_and_draws_a_plan_through_the_pages(
    published_list, client_of, bureau_user, pool
):
    client = client_of(bureau_user)
    response = client.post(
        reverse("supervision:plan_create"),
        {
            "name": "2024 Q4",
            "start": "2024-10-01",
            "end": "2024-12-31",
            "checks_a": 1,
            "checks_b": 2,
            "checks_c": 4,
            "checks_d": 12,
            "inspectors": [p.pk for p in pool],
        },
    )
    plan = Plan.objects.get(name="2024 Q4")
    assert response["Location"] == reverse("supervision:plan_detail", args=[plan.pk])
    client.post(reverse("supervision:plan_publish", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.is_published and plan.checks.exists()


def test_a_street_officer_may_not_create_a_plan(published_list, client_of, street_officer):
    assert client_of(street_officer).get(reverse("supervision:plan_create")).status_code == 403


def test_the_public_plan_page_costs_a_bounded_number_of_queries(
    published_list, bureau_user, pool, community_b, client, django_assert_max_num_queries
):
    CompoundFactory.create_batch(60, community=community_b)
    plan = services.plan_publish(user=bureau_user, plan=make_plan(bureau_user, pool))
    assert plan.checks.count() > 50  # more than a page
    with django_assert_max_num_queries(8):
        assert client.get(reverse("supervision:plan_detail", args=[plan.pk])).status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get(reverse("supervision:plan_list")).status_code == 200
