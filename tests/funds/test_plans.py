"""Maintenance plans (物业维修养护计划申报): declare → street → bureau → progress → overdue."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from credit.models import CreditEvent
from funds import selectors, services
from funds.choices import FundingSource, ItemProgress, PlanStatus
from funds.models import MaintenancePlan, MaintenancePlanItem

D = Decimal
YEAR = 2026
# Mid-June of the plan's year: items planned for January..May are past their month.
JUNE = dt.datetime(YEAR, 6, 15, 10, tzinfo=dt.UTC)


def _code(exc: pytest.ExceptionInfo) -> set[str]:
    error = exc.value
    if hasattr(error, "error_dict"):
        return {e.code for errors in error.error_dict.values() for e in errors}
    return {e.code for e in error.error_list}


@pytest.fixture
def draft(compound_a, firm_user):
    plan = services.plan_create(user=firm_user, compound=compound_a, year=YEAR)
    services.plan_item_add(
        user=firm_user,
        plan=plan,
        facility="电梯",
        work="年检与钢丝绳更换",
        planned_month=3,
        estimated_cost="12000.50",
        funding_source=FundingSource.FUND,
    )
    services.plan_item_add(
        user=firm_user,
        plan=plan,
        facility="屋面",
        work="防水翻新",
        planned_month=9,
        estimated_cost=D("30000.00"),
        funding_source=FundingSource.PROPERTY_FEES,
    )
    return plan


@pytest.fixture
def approved(draft, firm_user, street_officer, bureau_user):
    services.plan_submit(user=firm_user, plan=draft)
    services.plan_street_review(user=street_officer, plan=draft, passed=True)
    return services.plan_bureau_review(user=bureau_user, plan=draft, approve=True)


def test_plan_goes_from_firm_through_street_to_bureau(
    draft, firm_user, street_officer, bureau_user
):
    assert services.plan_submit(user=firm_user, plan=draft).status == PlanStatus.SUBMITTED
    services.plan_street_review(user=street_officer, plan=draft, passed=True, comment="同意")
    plan = services.plan_bureau_review(user=bureau_user, plan=draft, approve=True)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    assert plan.street_reviewed_by == street_officer and plan.bureau_reviewed_by == bureau_user
    assert plan.history.count() == 4  # created, submitted, street, bureau


def test_returned_plan_can_be_changed_and_submitted_again(
    draft, firm_user, street_officer, bureau_user
):
    services.plan_submit(user=firm_user, plan=draft)
    services.plan_street_review(user=street_officer, plan=draft, passed=False, comment="缺少预算")
    draft.refresh_from_db()
    assert draft.status == PlanStatus.RETURNED and draft.street_comment == "缺少预算"
    services.plan_item_add(
        user=firm_user,
        plan=draft,
        facility="消防",
        work="喷淋检修",
        planned_month=5,
        estimated_cost="800.00",
        funding_source=FundingSource.OTHER,
    )
    services.plan_submit(user=firm_user, plan=draft)
    services.plan_street_review(user=street_officer, plan=draft, passed=True)
    services.plan_bureau_review(user=bureau_user, plan=draft, approve=False, comment="重新核价")
    draft.refresh_from_db()
    assert draft.status == PlanStatus.RETURNED and draft.bureau_comment == "重新核价"


def test_another_firm_cannot_declare_or_change_the_plan(compound_a, draft, other_firm_user):
    with pytest.raises(ValidationError) as exc:
        services.plan_create(user=other_firm_user, compound=compound_a, year=YEAR + 1)
    assert _code(exc) == {"not_allowed"}
    with pytest.raises(ValidationError):
        services.plan_submit(user=other_firm_user, plan=draft)
    with pytest.raises(ValidationError):
        services.plan_item_add(
            user=other_firm_user,
            plan=draft,
            facility="x",
            work="y",
            planned_month=1,
            estimated_cost="1.00",
            funding_source=FundingSource.FUND,
        )
    assert MaintenancePlan.objects.count() == 1 and draft.items.count() == 2
    draft.refresh_from_db()
    assert draft.status == PlanStatus.DRAFT


def test_one_plan_per_compound_and_year(draft, compound_a, firm_user):
    with pytest.raises(ValidationError) as exc:
        services.plan_create(user=firm_user, compound=compound_a, year=YEAR)
    assert _code(exc) == {"exists"}


@pytest.mark.parametrize("cost", ["0", "-5.00", "10.005", "abc"])
def test_bad_estimated_cost_is_refused_and_nothing_written(draft, firm_user, cost):
    with pytest.raises(ValidationError):
        services.plan_item_add(
            user=firm_user,
            plan=draft,
            facility="门禁",
            work="更换",
            planned_month=4,
            estimated_cost=cost,
            funding_source=FundingSource.FUND,
        )
    assert draft.items.count() == 2


def test_street_officer_of_another_street_cannot_review(draft, firm_user, other_street_officer):
    services.plan_submit(user=firm_user, plan=draft)
    with pytest.raises(ValidationError) as exc:
        services.plan_street_review(user=other_street_officer, plan=draft, passed=True)
    assert _code(exc) == {"not_allowed"}
    draft.refresh_from_db()
    assert draft.status == PlanStatus.SUBMITTED and draft.history.count() == 2


def test_steps_cannot_be_skipped(draft, street_officer, bureau_user):
    # The bureau cannot approve an unsubmitted plan, nor the street review one.
    with pytest.raises(ValidationError) as exc:
        services.plan_bureau_review(user=bureau_user, plan=draft, approve=True)
    assert _code(exc) == {"wrong_step"}
    with pytest.raises(ValidationError) as exc:
        services.plan_street_review(user=street_officer, plan=draft, passed=True)
    assert _code(exc) == {"wrong_step"}
    draft.refresh_from_db()
    assert draft.status == PlanStatus.DRAFT and draft.history.count() == 1


def test_bureau_cannot_approve_before_the_street_has_passed(draft, firm_user, bureau_user):
    services.plan_submit(user=firm_user, plan=draft)
    with pytest.raises(ValidationError) as exc:
        services.plan_bureau_review(user=bureau_user, plan=draft, approve=True)
    assert _code(exc) == {"wrong_step"}


def test_return_needs_comments_and_only_the_bureau_approves(
    draft, firm_user, street_officer, street_colleague
):
    services.plan_submit(user=firm_user, plan=draft)
    with pytest.raises(ValidationError) as exc:
        services.plan_street_review(user=street_officer, plan=draft, passed=False, comment=" ")
    assert _code(exc) == {"comment"}
    services.plan_street_review(user=street_colleague, plan=draft, passed=True)
    with pytest.raises(ValidationError) as exc:
        services.plan_bureau_review(user=street_officer, plan=draft, approve=True)
    assert _code(exc) == {"not_allowed"}


def test_empty_plan_cannot_be_submitted(compound_a, firm_user):
    plan = services.plan_create(user=firm_user, compound=compound_a, year=YEAR)
    with pytest.raises(ValidationError) as exc:
        services.plan_submit(user=firm_user, plan=plan)
    assert _code(exc) == {"empty"}


def test_approved_plan_is_frozen_but_progress_is_reported(approved, firm_user):
    item = approved.items.order_by("planned_month").first()
    with pytest.raises(ValidationError) as exc:
        services.plan_item_remove(user=firm_user, item=item)
    assert _code(exc) == {"wrong_step"}
    with time_machine.travel(JUNE, tick=False):
        services.plan_item_progress(
            user=firm_user,
            item=item,
            progress=ItemProgress.DONE,
            date=dt.date(YEAR, 3, 20),
            note="已完成",
        )
        with pytest.raises(ValidationError) as exc:
            services.plan_item_progress(
                user=firm_user, item=item, progress=ItemProgress.DONE, date=dt.date(YEAR, 7, 1)
            )
        assert _code(exc) == {"future"}
    item.refresh_from_db()
    assert item.progress == ItemProgress.DONE and item.progress_date == dt.date(YEAR, 3, 20)


def test_progress_refused_before_approval_and_for_another_firm(draft, approved, other_firm_user):
    item = approved.items.first()
    with pytest.raises(ValidationError):
        services.plan_item_progress(user=other_firm_user, item=item, progress=ItemProgress.DONE)
    item.refresh_from_db()
    assert item.progress == ItemProgress.NOT_STARTED


def test_overdue_items_are_listed_for_bureau_and_own_street_only(
    approved, bureau_user, street_officer, other_street_officer
):
    today = JUNE.date()
    overdue = list(selectors.overdue_plan_items(user=bureau_user, today=today))
    assert [i.facility for i in overdue] == ["电梯"]  # March passed; September not yet
    assert list(selectors.overdue_plan_items(user=street_officer, today=today)) == overdue
    assert not selectors.overdue_plan_items(user=other_street_officer, today=today).exists()
    # A done item is no longer overdue.
    MaintenancePlanItem.objects.filter(pk=overdue[0].pk).update(progress=ItemProgress.DONE)
    assert not selectors.overdue_plan_items(user=bureau_user, today=today).exists()


def test_bureau_turns_an_unfulfilled_plan_into_one_credit_deduction(approved, bureau_user):
    with time_machine.travel(JUNE, tick=False):
        plan = services.plan_credit_deduct(
            user=bureau_user, plan=approved, points="2.00", reason="电梯年检逾期未完成"
        )
        event = CreditEvent.objects.get()
        assert plan.credit_event == event
        assert event.kind == "deduction" and event.points == D("2.00")
        assert event.firm_id == approved.firm_id and event.year == YEAR
        assert "电梯年检逾期未完成" in event.reason
        with pytest.raises(ValidationError) as exc:
            services.plan_credit_deduct(user=bureau_user, plan=approved, points="1", reason="再扣")
        assert _code(exc) == {"already_deducted"}
    assert CreditEvent.objects.count() == 1


def test_deduction_refused_for_a_plan_on_time_or_by_non_bureau(approved, bureau_user, firm_user):
    on_time = dt.datetime(YEAR, 2, 10, 10, tzinfo=dt.UTC)  # before the March item is due
    with time_machine.travel(on_time, tick=False):
        with pytest.raises(ValidationError) as exc:
            services.plan_credit_deduct(user=bureau_user, plan=approved, points="2", reason="x")
        assert _code(exc) == {"not_late"}
    with time_machine.travel(JUNE, tick=False):
        with pytest.raises(ValidationError) as exc:
            services.plan_credit_deduct(user=firm_user, plan=approved, points="2", reason="x")
        assert _code(exc) == {"not_allowed"}
    assert not CreditEvent.objects.exists()
    approved.refresh_from_db()
    assert approved.credit_event is None


def test_a_plan_never_approved_after_its_due_month_is_late(draft, bureau_user):
    with time_machine.travel(dt.datetime(YEAR, 5, 1, 10, tzinfo=dt.UTC), tick=False):
        assert services.plan_is_late(draft)
        services.plan_credit_deduct(
            user=bureau_user, plan=draft, points="1.50", reason="未按期申报"
        )
    assert CreditEvent.objects.get().points == D("1.50")


# ---------------------------------------------------------------- pages


def test_firm_declares_and_submits_through_the_pages(client_of, compound_a, firm_user):
    client = client_of(firm_user)
    response = client.post(reverse("funds:plan_create"), {"compound": compound_a.pk, "year": YEAR})
    plan = MaintenancePlan.objects.get()
    assert response.status_code == 302
    item = {
        "facility": "水泵",
        "work": "更换",
        "planned_month": "4",
        "estimated_cost": "500.00",
        "funding_source": FundingSource.FUND,
    }
    client.post(reverse("funds:plan_action", args=[plan.pk, "add-item"]), item)
    bad = {**item, "estimated_cost": "1.005"}
    client.post(reverse("funds:plan_action", args=[plan.pk, "add-item"]), bad)
    assert plan.items.count() == 1
    assert client.get(reverse("funds:plan_detail", args=[plan.pk])).context["can_edit"]
    client.post(reverse("funds:plan_action", args=[plan.pk, "submit"]))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    assert client.get(reverse("funds:plan_list")).context["page_obj"].paginator.count == 1


def test_pages_of_another_street_or_firm_are_404(
    client_of, draft, firm_user, other_street_officer, other_firm_user
):
    services.plan_submit(user=firm_user, plan=draft)
    client = client_of(other_street_officer)
    assert client.get(reverse("funds:plan_detail", args=[draft.pk])).status_code == 404
    url = reverse("funds:plan_action", args=[draft.pk, "street-review"])
    assert client.post(url, {"decision": "pass"}).status_code == 404
    client = client_of(other_firm_user)
    assert client.get(reverse("funds:plan_detail", args=[draft.pk])).status_code == 404
    draft.refresh_from_db()
    assert draft.status == PlanStatus.SUBMITTED


def test_street_and_bureau_review_on_the_pages(
    client_of, draft, firm_user, street_officer, bureau_user
):
    services.plan_submit(user=firm_user, plan=draft)
    client = client_of(street_officer)
    assert client.get(reverse("funds:plan_detail", args=[draft.pk])).context["can_street_review"]
    client.post(
        reverse("funds:plan_action", args=[draft.pk, "street-review"]), {"decision": "pass"}
    )
    client = client_of(bureau_user)
    # A skipped step on the page is a message, not a 500: the street's step is done, not redone.
    response = client.post(
        reverse("funds:plan_action", args=[draft.pk, "street-review"]),
        {"decision": "pass"},
        follow=True,
    )
    assert response.status_code == 200
    client.post(
        reverse("funds:plan_action", args=[draft.pk, "bureau-review"]), {"decision": "approve"}
    )
    draft.refresh_from_db()
    assert draft.status == PlanStatus.APPROVED


def test_overdue_page_is_for_bureau_and_street(
    client_of, approved, bureau_user, street_officer, firm_user, community_officer
):
    with time_machine.travel(JUNE, tick=False):
        for user in (bureau_user, street_officer):
            response = client_of(user).get(reverse("funds:plan_overdue"))
            assert response.status_code == 200
            assert response.context["page_obj"].paginator.count == 1
        for user in (firm_user, community_officer):
            assert client_of(user).get(reverse("funds:plan_overdue")).status_code == 403


def test_firm_reports_progress_on_the_page(client_of, approved, firm_user):
    item = approved.items.order_by("planned_month").first()
    client = client_of(firm_user)
    url = reverse("funds:plan_item_action", args=[item.pk, "progress"])
    client.post(url, {"progress": ItemProgress.IN_PROGRESS, "date": "", "note": "施工中"})
    item.refresh_from_db()
    assert item.progress == ItemProgress.IN_PROGRESS and item.progress_note == "施工中"


def test_plan_pages_render_for_every_role_with_few_queries(
    client_of, approved, firm_user, street_officer, bureau_user, django_assert_max_num_queries
):
    for user in (firm_user, street_officer, bureau_user):
        client = client_of(user)
        with time_machine.travel(JUNE, tick=False):
            detail = client.get(reverse("funds:plan_detail", args=[approved.pk]))
        assert detail.status_code == 200
        assert detail.context["overdue_count"] == 1
        assert detail.context["can_progress"] == (user == firm_user)
        assert detail.context["can_deduct"] == (user == bureau_user)
        client = client_of(user)  # signed in again: the June session ended months ago
        with django_assert_max_num_queries(10):
            listing = client.get(reverse("funds:plan_list"))
        assert listing.context["page_obj"].paginator.count == 1
