"""A complaint's clocks and scope: entered by hand only for the officer's own area, assigned
to the compound's managing firm, answered within working days (overdue red on the firm's
to-do), verified by the compound's community; who may read it, others 404."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from complaints import selectors, services
from complaints.choices import MANUAL_PREFIX, Source, Verification
from complaints.hooks import complaint_todos
from complaints.models import Complaint
from credit.models import CalendarDay, DayKind

from .conftest import SHANGHAI

pytestmark = pytest.mark.django_db

# Monday 4 March 2024, 10:00 in Beijing.
MONDAY = dt.datetime(2024, 3, 4, 10, tzinfo=SHANGHAI)
DAY = dt.timedelta(days=1)


def enter(user, compound, now=MONDAY):
    return services.complaint_enter(
        user=user, compound=compound, category="噪音扰民", text="夜间施工噪音。", now=now
    )


def test_a_hand_entered_complaint_gets_its_own_number_and_the_firm_five_working_days(
    community_officer, compound_a
):
    complaint = enter(community_officer, compound_a)
    assert complaint.order_number.startswith(MANUAL_PREFIX + "-20240304-")
    assert complaint.source == Source.MANUAL
    assert complaint.firm == compound_a.firm
    assert complaint.answer_due == dt.date(2024, 3, 11)  # Monday + 5 working days


def test_the_deadline_skips_the_bureau_calendars_holidays(community_officer, compound_a):
    CalendarDay.objects.create(date=dt.date(2024, 3, 6), kind=DayKind.HOLIDAY, name="假日")
    assert enter(community_officer, compound_a).answer_due == dt.date(2024, 3, 12)


@pytest.mark.parametrize(
    "who", ["other_community_officer", "other_street_officer", "firm_user", "committee_user"]
)
def test_a_complaint_for_a_compound_outside_the_users_area_is_refused(request, who, compound_a):
    user = request.getfixturevalue(who)
    with pytest.raises(ValidationError) as refused:
        enter(user, compound_a)
    assert refused.value.error_dict["compound"][0].code == "out_of_area"
    assert not Complaint.objects.exists()


def test_the_form_refuses_a_compound_outside_the_area_and_writes_nothing(
    client_of, street_officer, compound_b
):
    response = client_of(street_officer).post(
        reverse("complaints:complaint_create"),
        {"compound": compound_b.pk, "category": "漏水", "text": "楼顶漏水"},
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert not Complaint.objects.exists()


def test_the_street_and_bureau_enter_for_their_area(
    street_officer, bureau_user, compound_a, compound_b
):
    assert enter(street_officer, compound_a).firm == compound_a.firm
    assert enter(bureau_user, compound_b).firm == compound_b.firm


def test_the_firm_answers_on_time_then_the_community_verifies(
    community_officer, firm_user, compound_a
):
    complaint = enter(community_officer, compound_a)
    answered = services.complaint_answer(
        user=firm_user, complaint=complaint, answer="已协调施工方停工。", now=MONDAY + 2 * DAY
    )
    assert answered.answered_on_time is True
    assert answered.verify_due == dt.date(2024, 3, 13)
    verified = services.complaint_verify(
        user=community_officer,
        complaint=complaint,
        verification=Verification.RESOLVED,
        now=MONDAY + 3 * DAY,
    )
    assert verified.verification == Verification.RESOLVED
    assert [h.history_change_reason for h in verified.history.order_by("history_id")] == [
        "complaint entered",
        "firm answered",
        "community verified",
    ]


def test_a_late_answer_is_recorded_as_late(community_officer, firm_user, compound_a):
    complaint = enter(community_officer, compound_a)
    answered = services.complaint_answer(
        user=firm_user, complaint=complaint, answer="已处理。", now=MONDAY + 10 * DAY
    )
    assert answered.answered_on_time is False


def test_only_the_assigned_firm_answers_and_only_once(
    community_officer, firm_user, other_firm_user, compound_a
):
    complaint = enter(community_officer, compound_a)
    with pytest.raises(ValidationError):
        services.complaint_answer(user=other_firm_user, complaint=complaint, answer="不是我们")
    complaint.refresh_from_db()
    assert complaint.answered_at is None
    services.complaint_answer(user=firm_user, complaint=complaint, answer="已处理", now=MONDAY)
    with pytest.raises(ValidationError):
        services.complaint_answer(user=firm_user, complaint=complaint, answer="再答", now=MONDAY)
    complaint.refresh_from_db()
    assert complaint.answer == "已处理"


def test_only_the_compounds_community_verifies_after_the_answer(
    community_officer, other_community_officer, firm_user, compound_a
):
    complaint = enter(community_officer, compound_a)
    with pytest.raises(ValidationError):  # not answered yet
        services.complaint_verify(
            user=community_officer, complaint=complaint, verification=Verification.RESOLVED
        )
    services.complaint_answer(user=firm_user, complaint=complaint, answer="已处理", now=MONDAY)
    with pytest.raises(ValidationError):
        services.complaint_verify(
            user=other_community_officer, complaint=complaint, verification=Verification.RESOLVED
        )
    with pytest.raises(ValidationError):  # not resolved needs a note
        services.complaint_verify(
            user=community_officer, complaint=complaint, verification=Verification.NOT_RESOLVED
        )
    complaint.refresh_from_db()
    assert complaint.verified_at is None


def test_the_answer_clock_turns_the_firms_todo_red_then_the_communitys(
    community_officer, firm_user, compound_a
):
    complaint = enter(community_officer, compound_a)
    with time_machine.travel(dt.datetime(2024, 3, 11, 18, tzinfo=SHANGHAI), tick=False):
        [todo] = complaint_todos(firm_user, timezone.localdate())
        assert (todo.count, todo.overdue, todo.due) == (1, 0, dt.date(2024, 3, 11))
    with time_machine.travel(dt.datetime(2024, 3, 12, 9, tzinfo=SHANGHAI), tick=False):
        [todo] = complaint_todos(firm_user, timezone.localdate())
        assert todo.overdue == 1 and todo.is_overdue
        assert complaint.answer_overdue(timezone.localdate())
        services.complaint_answer(user=firm_user, complaint=complaint, answer="已处理")
        assert list(complaint_todos(firm_user, timezone.localdate())) == []
        [todo] = complaint_todos(community_officer, timezone.localdate())
        assert (todo.count, todo.overdue, todo.due) == (1, 0, dt.date(2024, 3, 19))
    with time_machine.travel(dt.datetime(2024, 3, 20, 9, tzinfo=SHANGHAI), tick=False):
        [todo] = complaint_todos(community_officer, timezone.localdate())
        assert todo.overdue == 1
    complaint.refresh_from_db()
    assert (
        complaint.answered_on_time is False and complaint.verified_at is None
    )  # nothing by silence


def test_who_reads_a_complaint(
    client_of,
    community_officer,
    compound_a,
    bureau_user,
    street_officer,
    firm_user,
    committee_user,
    other_street_officer,
    other_community_officer,
    other_firm_user,
    other_committee_user,
    association_user,
):
    complaint = enter(community_officer, compound_a)
    url = reverse("complaints:complaint_detail", args=[complaint.pk])
    for user in (bureau_user, street_officer, community_officer, firm_user, committee_user):
        assert client_of(user).get(url).status_code == 200, user.username
    for user in (
        other_street_officer,
        other_community_officer,
        other_firm_user,
        other_committee_user,
        association_user,
    ):
        assert client_of(user).get(url).status_code == 404, user.username
    assert selectors.complaints_for_user(user=other_firm_user).count() == 0


def test_the_committee_reads_but_cannot_answer_or_verify(
    client_of, community_officer, committee_user, compound_a
):
    complaint = enter(community_officer, compound_a)
    url = reverse("complaints:complaint_detail", args=[complaint.pk])
    response = client_of(committee_user).post(url, {"action": "answer", "answer": "假冒"})
    assert response.status_code == 400
    complaint.refresh_from_db()
    assert complaint.answered_at is None


def test_the_firm_answers_in_the_browser(client_of, community_officer, firm_user, compound_a):
    complaint = enter(community_officer, compound_a, now=timezone.now())
    url = reverse("complaints:complaint_detail", args=[complaint.pk])
    client = client_of(firm_user)
    assert "answer-form" in client.get(url).content.decode()
    assert client.post(url, {"action": "answer", "answer": "已安排维修"}).status_code == 302
    complaint.refresh_from_db()
    assert complaint.answer == "已安排维修" and complaint.answered_by == firm_user
