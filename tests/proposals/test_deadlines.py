from __future__ import annotations

import datetime as dt

from proposals import deadlines

D = dt.date


def test_reply_is_due_three_months_after_receipt():
    assert deadlines.reply_due(D(2024, 3, 11)) == D(2024, 6, 11)


def test_month_end_clamps_to_the_shorter_month():
    assert deadlines.add_months(D(2024, 11, 30), 3) == D(2025, 2, 28)
    assert deadlines.add_months(D(2023, 11, 30), 3) == D(2024, 2, 29)
    assert deadlines.add_months(D(2024, 8, 31), 1) == D(2024, 9, 30)


def test_months_cross_the_year():
    assert deadlines.add_months(D(2024, 12, 15), 1) == D(2025, 1, 15)
    assert deadlines.add_months(D(2024, 10, 1), 6) == D(2025, 4, 1)


def test_extension_limit_is_six_months_after_receipt():
    assert deadlines.latest_extension(D(2024, 3, 11)) == D(2024, 9, 11)


def test_co_input_due_one_month_after_assignment():
    assert deadlines.co_input_due(D(2024, 1, 31)) == D(2024, 2, 29)


def test_return_allowed_for_five_days():
    assert deadlines.return_deadline(D(2024, 3, 11)) == D(2024, 3, 16)


def test_rehandling_is_due_one_month_after_feedback():
    assert deadlines.rehandle_due(D(2024, 7, 20)) == D(2024, 8, 20)


def test_overdue_and_near_due():
    due = D(2024, 6, 11)
    assert not deadlines.is_overdue(due, D(2024, 6, 11))
    assert deadlines.is_overdue(due, D(2024, 6, 12))
    assert deadlines.is_near_due(due, D(2024, 6, 1), within=14)
    assert not deadlines.is_near_due(due, D(2024, 5, 1), within=14)
    assert not deadlines.is_near_due(due, D(2024, 6, 12), within=14)
    assert deadlines.days_left(due, D(2024, 6, 1)) == 10


def test_periods_come_from_settings(settings):
    settings.PROPOSALS_REPLY_MONTHS = 2
    assert deadlines.reply_due(D(2024, 3, 11)) == D(2024, 5, 11)
