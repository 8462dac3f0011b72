"""Registry writes: firms, compounds and the change of a compound's managing firm."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from companies import services
from companies.models import Compound, Management
from tests.factories import make_credit_code


def _open_period(compound: Compound) -> Management | None:
    return Management.objects.filter(compound=compound, end_date__isnull=True).first()


def test_change_firm_closes_the_open_period_and_opens_the_new_one(
    bureau_user, compound_a, firm_a, firm_b
):
    services.compound_change_firm(
        user=bureau_user, compound=compound_a, firm=firm_b, since=dt.date(2024, 3, 1), note="招标"
    )
    old = Management.objects.get(compound=compound_a, firm=firm_a)
    assert old.end_date == dt.date(2024, 3, 1)
    new = _open_period(compound_a)
    assert (new.firm, new.start_date, new.note) == (firm_b, dt.date(2024, 3, 1), "招标")
    compound_a.refresh_from_db()
    assert compound_a.firm == firm_b


def test_change_firm_refuses_a_date_before_the_current_start_and_changes_nothing(
    bureau_user, compound_a, firm_a, firm_b
):
    with pytest.raises(ValidationError) as exc:
        services.compound_change_firm(
            user=bureau_user, compound=compound_a, firm=firm_b, since=dt.date(2019, 12, 31)
        )
    assert "since" in exc.value.error_dict
    assert _open_period(compound_a).firm == firm_a
    assert Management.objects.filter(compound=compound_a).count() == 1
    compound_a.refresh_from_db()
    assert compound_a.firm == firm_a


def test_change_firm_records_the_acting_user_in_the_history(bureau_user, compound_a, firm_b):
    services.compound_change_firm(
        user=bureau_user, compound=compound_a, firm=firm_b, since=dt.date(2024, 3, 1)
    )
    assert compound_a.history.latest().history_user == bureau_user
    new = _open_period(compound_a)
    assert new.history.latest().history_user == bureau_user
    closed = Management.objects.get(compound=compound_a, end_date__isnull=False)
    assert closed.history.latest().history_user == bureau_user


def test_change_to_no_firm_closes_the_period_and_leaves_the_compound_self_managed(
    bureau_user, compound_a
):
    services.compound_change_firm(
        user=bureau_user, compound=compound_a, firm=None, since=dt.date(2024, 1, 1)
    )
    compound_a.refresh_from_db()
    assert compound_a.firm is None
    assert _open_period(compound_a) is None


def test_firm_create_normalises_the_credit_code_and_records_the_user(bureau_user):
    code = make_credit_code(777)
    firm = services.firm_create(user=bureau_user, credit_code=f" {code.lower()} ", name=" 新物业 ")
    assert (firm.credit_code, firm.name) == (code, "新物业")
    assert firm.history.latest().history_user == bureau_user


def test_firm_create_refuses_a_wrong_check_character(bureau_user):
    code = make_credit_code(778)
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    with pytest.raises(ValidationError) as exc:
        services.firm_create(user=bureau_user, credit_code=wrong, name="坏代码物业")
    assert exc.value.error_dict["credit_code"][0].code == "check"


def test_compound_create_with_a_firm_opens_its_period(bureau_user, community_a, firm_a):
    compound = services.compound_create(
        user=bureau_user,
        code="NEW001",
        name="新苑",
        community=community_a,
        households=10,
        floor_area=Decimal("800.50"),
        firm=firm_a,
        since=dt.date(2025, 1, 1),
    )
    assert compound.firm == firm_a
    assert _open_period(compound).start_date == dt.date(2025, 1, 1)
