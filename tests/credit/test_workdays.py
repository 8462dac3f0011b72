"""Working days on the bureau's calendar: weekends and statutory holidays do not count, the
weekend days made working days (调休) do; and the bureau keeps the calendar on its page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from credit import services
from credit.demo import HOLIDAYS_2026
from credit.models import CalendarDay, DayKind
from credit.workdays import working_days_after, working_days_between

D = dt.date


@pytest.fixture
def calendar_2026(db) -> None:
    """China's 2026 holidays and make-up working days, as the demo seeds them."""
    for name, first, last, workdays in HOLIDAYS_2026:
        for offset in range((last - first).days + 1):
            CalendarDay.objects.create(
                date=first + dt.timedelta(days=offset), kind=DayKind.HOLIDAY, name=name
            )
        for day in workdays:
            CalendarDay.objects.create(date=day, kind=DayKind.WORKDAY, name=f"{name}调休上班")


def test_without_a_calendar_only_weekends_are_skipped(db):
    assert working_days_after(D(2026, 11, 27), 1) == D(2026, 11, 30)  # Friday → Monday
    assert working_days_after(D(2026, 11, 23), 5) == D(2026, 11, 30)
    assert working_days_after(D(2026, 11, 23), 0) == D(2026, 11, 23)


def test_the_national_day_holiday_is_skipped_and_its_make_up_saturday_counts(calendar_2026):
    # 30 Sep (Wed) + 5: 8 Oct, 9 Oct, Sat 10 Oct (made a working day), 12 Oct, 13 Oct.
    assert working_days_after(D(2026, 9, 30), 5) == D(2026, 10, 13)
    assert working_days_between(D(2026, 9, 30), D(2026, 10, 13)) == 5


def test_a_make_up_sunday_is_the_next_working_day_after_a_friday(calendar_2026):
    assert working_days_after(D(2026, 9, 18), 1) == D(2026, 9, 20)


def test_the_spring_festival_counts_its_make_up_saturday_then_skips_nine_days(calendar_2026):
    assert working_days_after(D(2026, 2, 13), 1) == D(2026, 2, 14)
    assert working_days_after(D(2026, 2, 13), 2) == D(2026, 2, 24)
    assert working_days_between(D(2026, 2, 14), D(2026, 2, 23)) == 0


def test_between_counts_after_the_first_day_up_to_the_last(calendar_2026):
    assert working_days_between(D(2026, 11, 23), D(2026, 11, 23)) == 0
    assert working_days_between(D(2026, 11, 23), D(2026, 11, 20)) == 0
    for start in (D(2026, 1, 1), D(2026, 4, 30), D(2026, 6, 18), D(2026, 9, 24)):
        for n in (1, 3, 5, 10):
            assert working_days_between(start, working_days_after(start, n)) == n


def test_removing_a_make_up_day_moves_the_deadline(calendar_2026, bureau_user):
    services.calendar_day_delete(
        user=bureau_user, day=CalendarDay.objects.get(date=D(2026, 10, 10))
    )
    assert working_days_after(D(2026, 9, 30), 5) == D(2026, 10, 14)
    deleted = CalendarDay.history.filter(date=D(2026, 10, 10), history_type="-").get()
    assert deleted.history_user == bureau_user


# --- the bureau's calendar page ------------------------------------------------------------


def test_the_bureau_lists_adds_and_deletes_calendar_days(client_of, bureau_user, calendar_2026):
    client = client_of(bureau_user)
    page = client.get(reverse("credit:calendar_list"), {"year": 2026})
    assert page.status_code == 200
    assert "国庆节调休上班" in page.content.decode()
    assert len(page.context["days"]) == CalendarDay.objects.count()

    response = client.post(
        f"{reverse('credit:calendar_list')}?year=2027",
        {"date": "2027-01-01", "kind": DayKind.HOLIDAY, "name": "元旦"},
    )
    assert response.status_code == 302
    day = CalendarDay.objects.get(date=D(2027, 1, 1))
    assert day.created_by == bureau_user

    response = client.post(reverse("credit:calendar_delete", args=[day.pk]))
    assert response.status_code == 302 and response["Location"].endswith("?year=2027")
    assert not CalendarDay.objects.filter(date=D(2027, 1, 1)).exists()


def test_a_date_already_in_the_calendar_is_refused(client_of, bureau_user, calendar_2026):
    response = client_of(bureau_user).post(
        reverse("credit:calendar_list"),
        {"date": "2026-10-01", "kind": DayKind.WORKDAY, "name": "重复"},
    )
    assert response.status_code == 200
    assert "已在日历中" in response.content.decode()
    assert CalendarDay.objects.get(date=D(2026, 10, 1)).kind == DayKind.HOLIDAY
    with pytest.raises(ValidationError):
        services.calendar_day_add(user=bureau_user, date=D(2026, 10, 1), kind="holiday", name="x")


def test_only_the_bureau_keeps_the_calendar(client_of, firm_user, street_officer, calendar_2026):
    day = CalendarDay.objects.first()
    for user in (firm_user, street_officer):
        client = client_of(user)
        assert client.get(reverse("credit:calendar_list")).status_code == 403
        assert client.post(reverse("credit:calendar_delete", args=[day.pk])).status_code == 403
    assert CalendarDay.objects.filter(pk=day.pk).exists()
    with pytest.raises(ValidationError):
        services.calendar_day_add(user=firm_user, date=D(2027, 1, 1), kind="holiday", name="元旦")
