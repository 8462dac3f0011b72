"""Publicity, publishing and versions: the services and the bureau's pages."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from credit import publication as services
from credit.models import (
    Publication,
    PublicationStatus,
    PublicationVersion,
    RuleSet,
)

from .helpers import assess, rate
from .publishing import (
    CODES,
    T0,
    YEAR,
    code_of,
    end_period,
    open_publicity,
    rating_of,
)


@pytest.fixture
def publication(bureau_user, run):
    with time_machine.travel(T0, tick=False):
        return open_publicity(bureau_user, run)


def test_publicity_lasts_the_rule_sets_days(publication, run):
    assert publication.status == PublicationStatus.PUBLICITY
    assert publication.publicity_days == run.rule_set.publicity_days == 7
    assert publication.period_end == T0 + dt.timedelta(days=7)
    assert publication.history.count() == 1


def test_a_second_publicity_notice_of_the_year_is_refused(bureau_user, publication, run):
    with pytest.raises(ValidationError) as exc:
        services.publication_create(user=bureau_user, run=run)
    assert code_of(exc.value) == "exists"


def test_an_unfinished_run_cannot_be_published(bureau_user, run):
    type(run).objects.filter(pk=run.pk).update(status="failed")
    run.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.publication_create(user=bureau_user, run=run)
    assert code_of(exc.value) == "run_not_finished"
    assert not Publication.objects.exists()


def test_only_bureau_staff_open_a_publicity_notice(association_user, run):
    with pytest.raises(ValidationError) as exc:
        services.publication_create(user=association_user, run=run)
    assert code_of(exc.value) == "not_allowed"


def test_publishing_before_the_period_ends_is_refused(bureau_user, publication):
    with (
        time_machine.travel(T0 + dt.timedelta(days=6, hours=23), tick=False),
        pytest.raises(ValidationError) as exc,
    ):
        services.publication_publish(user=bureau_user, publication=publication)
    assert code_of(exc.value) == "period_not_over"
    assert not PublicationVersion.objects.exists()
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.PUBLICITY


def test_publishing_with_a_pending_objection_is_refused(bureau_user, firm_user, publication, run):
    with time_machine.travel(T0 + dt.timedelta(days=1), tick=False):
        services.objection_file(
            user=firm_user,
            publication=publication,
            rating=rating_of(run, firm_user.firm),
            text="The quality score of 东苑小区 is wrong.",
        )
    with (
        time_machine.travel(T0 + dt.timedelta(days=8), tick=False),
        pytest.raises(ValidationError) as exc,
    ):
        services.publication_publish(user=bureau_user, publication=publication)
    assert code_of(exc.value) == "objections_pending"
    assert not PublicationVersion.objects.exists()


def test_publishing_freezes_a_version_and_the_rule_set(bureau_user, publication, run):
    with time_machine.travel(T0 + dt.timedelta(days=7), tick=False):
        version = services.publication_publish(user=bureau_user, publication=publication)
    assert version.number == 1
    assert version.run == run
    assert version.published_by == bureau_user
    data = json.loads(version.content)
    assert [row["grade"] for row in data["red_list"]] == ["A"]
    assert [row["grade"] for row in data["black_list"]] == ["D"]
    assert data["red_list"][0]["credit_code"] == run.ratings.get(grade="A").firm.credit_code
    assert data["red_list"][0]["score"] == "92.00"
    assert data["red_list"][0]["compounds"] == 1
    assert data["year"] == YEAR
    assert version.content == services.canonical_json(data)
    assert version.digest == services.sha256_hex(version.content)
    assert RuleSet.objects.get(year=YEAR).is_frozen
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.PUBLISHED
    assert publication.history.first().history_change_reason == "published version #1"


def test_a_second_publication_of_the_same_version_is_refused(bureau_user, publication):
    end_period(publication)
    services.publication_publish(user=bureau_user, publication=publication)
    with pytest.raises(ValidationError) as exc:
        services.publication_publish(user=bureau_user, publication=publication, change_note="x")
    assert code_of(exc.value) == "already_published"
    assert PublicationVersion.objects.count() == 1


def _corrected_run(compound_a, capture):
    """The bureau corrects firm A's inputs (now 70: grade C) and rates the year again."""
    for code in CODES:
        assess_replace(compound_a, code, 70)
    return rate(YEAR, capture)


def assess_replace(compound, code, score):
    from credit.models import Assessment

    Assessment.objects.filter(year=YEAR, compound=compound, indicator__code=code).delete()
    assess(YEAR, compound, compound.firm, code, "street", score)


def test_a_correction_is_a_new_version_and_the_old_one_stays(
    bureau_user, publication, compound_a, django_capture_on_commit_callbacks
):
    end_period(publication)
    first = services.publication_publish(user=bureau_user, publication=publication)
    corrected = _corrected_run(compound_a, django_capture_on_commit_callbacks)
    services.publication_set_run(user=bureau_user, publication=publication, run=corrected)
    with pytest.raises(ValidationError) as exc:
        services.publication_publish(user=bureau_user, publication=publication)
    assert code_of(exc.value) == "change_note_required"
    second = services.publication_publish(
        user=bureau_user, publication=publication, change_note="东苑小区 scores corrected"
    )
    assert second.number == 2
    assert json.loads(second.content)["red_list"] == []
    first.refresh_from_db()
    assert json.loads(first.content)["red_list"][0]["grade"] == "A"
    assert first.digest == services.sha256_hex(first.content)


def test_publication_can_point_only_at_a_finished_run_of_its_year(bureau_user, publication, run):
    with pytest.raises(ValidationError) as exc:
        services.publication_set_run(user=bureau_user, publication=publication, run=run)
    assert code_of(exc.value) == "same_run"


# --- pages -----------------------------------------------------------------------------------


def test_bureau_starts_the_publicity_from_the_page(client_of, bureau_user, run):
    response = client_of(bureau_user).post(reverse("credit:publication_create"), {"run": run.pk})
    publication = Publication.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("credit:publication_detail", args=[publication.pk])


def test_the_notice_marks_a_pending_objection(client_of, bureau_user, firm_user, publication, run):
    services.objection_file(
        user=firm_user,
        publication=end_period_undo(publication),
        rating=rating_of(run, firm_user.firm),
        text="wrong",
    )
    response = client_of(bureau_user).get(
        reverse("credit:publication_detail", args=[publication.pk])
    )
    assert response.status_code == 200
    assert response.context["pending"] == 1
    red = response.context["red"]
    assert red[0].firm == firm_user.firm and red[0].objection_pending
    assert not response.context["black"][0].objection_pending
    assert b"objection-pending" in response.content


def end_period_undo(publication):
    """Put the period around now (the fixture opened it at T0)."""
    from django.utils import timezone

    Publication.objects.filter(pk=publication.pk).update(period_start=timezone.now())
    publication.refresh_from_db()
    return publication


def test_publish_page_refuses_before_the_period_ends(client_of, bureau_user, run):
    publication = open_publicity(bureau_user, run)
    response = client_of(bureau_user).post(
        reverse("credit:publication_publish", args=[publication.pk]), follow=True
    )
    assert response.status_code == 200
    assert not PublicationVersion.objects.exists()
    assert any(m.level_tag == "error" for m in response.context["messages"])


def test_bureau_publishes_from_the_page(client_of, bureau_user, publication):
    end_period(publication)
    response = client_of(bureau_user).post(
        reverse("credit:publication_publish", args=[publication.pk])
    )
    assert response.status_code == 302
    assert PublicationVersion.objects.get().number == 1


def test_the_association_reads_but_cannot_publish(client_of, association_user, publication):
    end_period(publication)
    client = client_of(association_user)
    url = reverse("credit:publication_detail", args=[publication.pk])
    assert client.get(url).status_code == 200
    response = client.post(reverse("credit:publication_publish", args=[publication.pk]))
    assert response.status_code == 403
    assert not PublicationVersion.objects.exists()


@pytest.mark.parametrize("who", ["street_officer", "committee_user"])
def test_the_notice_does_not_exist_for_officers(client_of, publication, who, request):
    client = client_of(request.getfixturevalue(who))
    url = reverse("credit:publication_detail", args=[publication.pk])
    assert client.get(url).status_code == 404


def test_a_firm_sees_only_its_own_proposed_rating(
    client_of, firm_user, other_firm_user, publication
):
    response = client_of(firm_user).get(reverse("credit:publication_detail", args=[publication.pk]))
    assert response.status_code == 200
    assert response.context["own_rating"].firm == firm_user.firm
    assert "red" not in response.context
    assert other_firm_user.firm.name.encode() not in response.content


def test_excel_export_of_a_run(client_of, bureau_user, run):
    from io import BytesIO

    from openpyxl import load_workbook

    response = client_of(bureau_user).get(reverse("credit:run_export_xlsx", args=[run.pk]))
    assert response.status_code == 200
    rows = list(load_workbook(BytesIO(response.getvalue())).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("year", "credit_code", "name")
    assert [row[4] for row in rows[1:]] == ["A", "B", "D"]


def test_excel_export_is_not_for_firms(client_of, firm_user, run):
    response = client_of(firm_user).get(reverse("credit:run_export_xlsx", args=[run.pk]))
    assert response.status_code == 404
