"""A firm applies, the community and then the street recommend, the bureau approves: each step
by its own officer only, each refusal with reasons, nothing by silence; a refused request
writes nothing. Approval makes the compound a demonstration project of the year and may carry
the firm's bonus credit event."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from credit.choices import EventKind
from credit.models import CreditEvent
from demonstrations import selectors, services
from demonstrations.choices import BONUS_POINTS, State, Step
from demonstrations.models import Application
from portal import workbench
from tests.factories import CompoundFactory

from .conftest import SUBMITTED, apply

PDF = b"%PDF-1.4 survey"


def codes(exc: ValidationError) -> set[str]:
    return (
        {e.code for e in exc.error_list}
        if not hasattr(exc, "error_dict")
        else {e.code for errors in exc.error_dict.values() for e in errors}
    )


# --- the application --------------------------------------------------------------------------


def test_a_firm_applies_for_a_compound_it_manages_and_the_community_has_five_working_days(
    submitted, party_compound
):
    assert submitted.state == State.SUBMITTED
    assert submitted.step == Step.COMMUNITY
    assert submitted.due == dt.date(2026, 3, 9)  # Monday + 5 working days
    assert submitted.history.first().history_change_reason == "demonstration applied"


def test_a_compound_the_firm_does_not_manage_is_refused(firm_user, compound_b):
    compound_b.has_party_org = True
    compound_b.save()
    with pytest.raises(ValidationError) as exc:
        apply(firm_user, compound_b)
    assert codes(exc.value) == {"not_managed"}
    assert not Application.objects.exists()


def test_a_compound_without_a_party_organisation_is_refused(firm_user, compound_a):
    with pytest.raises(ValidationError) as exc:
        apply(firm_user, compound_a)
    assert codes(exc.value) == {"no_party_org"}
    assert not Application.objects.exists()


def test_every_service_standard_must_be_met(firm_user, party_compound):
    with pytest.raises(ValidationError) as exc:
        apply(firm_user, party_compound, standards=["staffing", "cleaning"])
    assert codes(exc.value) == {"standards"}
    assert not Application.objects.exists()


def test_satisfaction_is_a_figure_or_evidence(firm_user, party_compound):
    with pytest.raises(ValidationError) as exc:
        apply(firm_user, party_compound, satisfaction=None)
    assert codes(exc.value) == {"satisfaction_missing"}
    survey = SimpleUploadedFile("survey.pdf", PDF, content_type="application/pdf")
    application = apply(firm_user, party_compound, satisfaction=None, files=[survey])
    assert [f.name for f in application.files.all()] == ["survey.pdf"]


def test_an_evidence_file_of_another_kind_is_refused(firm_user, party_compound):
    script = SimpleUploadedFile("survey.html", b"<script>", content_type="text/html")
    with pytest.raises(ValidationError):
        apply(firm_user, party_compound, files=[script])
    assert not Application.objects.exists()


def test_a_second_application_for_the_same_year_is_refused_while_one_is_open(
    submitted, firm_user, party_compound
):
    with pytest.raises(ValidationError) as exc:
        apply(firm_user, party_compound)
    assert codes(exc.value) == {"open_already"}
    assert Application.objects.count() == 1


def test_a_compound_approved_for_the_year_is_refused(
    street_ok, bureau_user, firm_user, party_compound
):
    services.application_decide(user=bureau_user, application=street_ok, approve=True)
    with pytest.raises(ValidationError) as exc:
        apply(firm_user, party_compound)
    assert codes(exc.value) == {"approved_already"}
    apply(firm_user, party_compound, year=2027)  # another year is another application


# --- each step by its own officer ---------------------------------------------------------------


def test_only_the_compounds_community_recommends(
    submitted, other_community_officer, street_officer, bureau_user, firm_user
):
    for user in (other_community_officer, street_officer, bureau_user, firm_user):
        with pytest.raises(ValidationError):
            services.community_recommend(user=user, application=submitted, recommend=True)
    submitted.refresh_from_db()
    assert submitted.state == State.SUBMITTED and submitted.community_at is None


def test_only_the_compounds_street_recommends_and_only_after_the_community(
    submitted, street_officer, other_street_officer, community_officer
):
    with pytest.raises(ValidationError) as exc:
        services.street_recommend(user=street_officer, application=submitted, recommend=True)
    assert codes(exc.value) == {"not_waiting"}
    services.community_recommend(user=community_officer, application=submitted, recommend=True)
    with pytest.raises(ValidationError) as exc:
        services.street_recommend(user=other_street_officer, application=submitted, recommend=True)
    assert codes(exc.value) == {"not_street"}
    submitted.refresh_from_db()
    assert submitted.state == State.COMMUNITY_OK and submitted.street_at is None


def test_only_the_bureau_decides_and_only_after_the_street(
    community_ok, street_officer, bureau_user, firm_user
):
    with pytest.raises(ValidationError) as exc:
        services.application_decide(user=bureau_user, application=community_ok, approve=True)
    assert codes(exc.value) == {"not_waiting"}
    services.street_recommend(user=street_officer, application=community_ok, recommend=True)
    with pytest.raises(ValidationError) as exc:
        services.application_decide(user=street_officer, application=community_ok, approve=True)
    assert codes(exc.value) == {"not_bureau"}
    community_ok.refresh_from_db()
    assert community_ok.state == State.STREET_OK and community_ok.decided_at is None
    assert community_ok.compound.red_heart_year is None


# --- refusals with reasons ------------------------------------------------------------------------


def test_not_recommending_needs_reasons_and_sends_it_back_to_the_firm(
    submitted, community_officer, firm_user
):
    with pytest.raises(ValidationError) as exc:
        services.community_recommend(
            user=community_officer, application=submitted, recommend=False, note="  "
        )
    assert codes(exc.value) == {"reason_required"}
    submitted.refresh_from_db()
    assert submitted.state == State.SUBMITTED
    services.community_recommend(
        user=community_officer, application=submitted, recommend=False, note="满意度调查不足"
    )
    submitted.refresh_from_db()
    assert submitted.state == State.RETURNED
    assert submitted.returned_by_step == Step.COMMUNITY and submitted.due is None
    summary = selectors.waiting_summary(user=firm_user, today=dt.date(2026, 3, 3))
    assert summary["count"] == 1


def test_the_firm_applies_again_after_it_was_sent_back(
    community_ok, street_officer, firm_user, community_officer
):
    services.street_recommend(
        user=street_officer, application=community_ok, recommend=False, note="投诉未办结"
    )
    community_ok.refresh_from_db()
    assert community_ok.returned_by_step == Step.STREET
    later = SUBMITTED + dt.timedelta(days=10)
    services.application_resubmit(
        user=firm_user, application=community_ok, description="投诉已全部办结。", now=later
    )
    community_ok.refresh_from_db()
    assert community_ok.state == State.SUBMITTED
    assert community_ok.community_at is None and community_ok.due == dt.date(2026, 3, 19)


def test_a_refusal_needs_reasons_and_carries_no_bonus(street_ok, bureau_user):
    with pytest.raises(ValidationError) as exc:
        services.application_decide(user=bureau_user, application=street_ok, approve=False)
    assert codes(exc.value) == {"reason_required"}
    with pytest.raises(ValidationError) as exc:
        services.application_decide(
            user=bureau_user, application=street_ok, approve=False, note="不符合", bonus=True
        )
    assert codes(exc.value) == {"bonus"}
    assert not CreditEvent.objects.exists()
    services.application_decide(
        user=bureau_user, application=street_ok, approve=False, note="本年度投诉较多"
    )
    street_ok.refresh_from_db()
    assert street_ok.state == State.REFUSED and street_ok.compound.red_heart_year is None


# --- approval -------------------------------------------------------------------------------------


def test_approval_makes_the_compound_a_demonstration_project_of_the_year(
    street_ok, bureau_user, party_compound
):
    services.application_decide(user=bureau_user, application=street_ok, approve=True)
    party_compound.refresh_from_db()
    assert party_compound.red_heart_year == 2026
    latest = party_compound.history.first()
    assert latest.history_change_reason == "red-heart demonstration approved"
    assert latest.history_user == bureau_user
    street_ok.refresh_from_db()
    assert street_ok.state == State.APPROVED and street_ok.credit_event is None


def test_approval_with_the_bonus_records_the_firms_bonus_event_linked_to_it(
    street_ok, bureau_user, firm_a
):
    with time_machine.travel(dt.datetime(2026, 3, 10, 10, tzinfo=SUBMITTED.tzinfo), tick=False):
        services.application_decide(
            user=bureau_user, application=street_ok, approve=True, bonus=True
        )
    street_ok.refresh_from_db()
    event = street_ok.credit_event
    assert event.kind == EventKind.BONUS and event.points == BONUS_POINTS
    assert event.firm == firm_a and event.date == dt.date(2026, 3, 10)
    assert event.demonstration == street_ok
    assert list(CreditEvent.objects.filter(year=2026, firm=firm_a)) == [event]


# --- deadlines: nothing by silence ------------------------------------------------------------------


def test_a_step_past_its_working_days_is_overdue_and_nothing_moves_by_itself(
    submitted, community_officer
):
    with time_machine.travel(dt.datetime(2026, 3, 9, 17, tzinfo=SUBMITTED.tzinfo), tick=False):
        [item] = [
            t
            for t in workbench.todos_for(community_officer, dt.date(2026, 3, 9))
            if "demonstrations" in t.url
        ]
        assert item.count == 1 and item.overdue == 0
    with time_machine.travel(dt.datetime(2026, 3, 10, 9, tzinfo=SUBMITTED.tzinfo), tick=False):
        [item] = [
            t
            for t in workbench.todos_for(community_officer, dt.date(2026, 3, 10))
            if "demonstrations" in t.url
        ]
        assert item.overdue == 1 and item.is_overdue  # red on the to-do
    submitted.refresh_from_db()
    assert submitted.state == State.SUBMITTED  # silence recommends nothing
    assert submitted.community_at is None


def test_each_to_do_is_one_query(street_ok, bureau_user, django_assert_num_queries):
    from demonstrations.hooks import demonstration_todos

    with django_assert_num_queries(1):
        [item] = list(demonstration_todos(bureau_user, dt.date(2026, 3, 10)))
    assert item.count == 1


def test_the_street_sees_only_its_own_applications(
    submitted, other_street_officer, street_officer, other_firm_user, committee_user
):
    assert selectors.applications_for_user(user=street_officer).count() == 1
    for user in (other_street_officer, other_firm_user, committee_user):
        assert not selectors.applications_for_user(user=user).exists()


def test_an_application_of_another_compound_of_the_firm_waits_for_its_own_community(
    firm_user, firm_a, community_b, other_community_officer, community_officer
):
    compound = CompoundFactory(community=community_b, firm=firm_a, has_party_org=True)
    apply(firm_user, compound, satisfaction=Decimal("90"))
    assert (
        selectors.waiting_summary(user=community_officer, today=dt.date(2026, 3, 2))["count"] == 0
    )
    assert (
        selectors.waiting_summary(user=other_community_officer, today=dt.date(2026, 3, 2))["count"]
        == 1
    )
