"""A fund account for compound A: two buildings, five households with known areas."""

from __future__ import annotations

from decimal import Decimal

import pytest

from funds import services

# (building, unit, room, floor area, owner, initial deposit)
HOUSEHOLDS = [
    ("1", "1", "101", "90.00", "张三丰", "9000.00"),
    ("1", "1", "102", "110.50", "李四", "11050.00"),
    ("1", "2", "201", "75.25", "王小明", "7525.00"),
    ("2", "1", "101", "120.00", "赵六", "12000.00"),
    ("2", "1", "102", "60.00", "欧阳娜娜", "6000.00"),
]


@pytest.fixture
def account_a(compound_a, bureau_user):
    account = services.account_open(user=bureau_user, compound=compound_a)
    for building, unit, room, area, owner, deposit in HOUSEHOLDS:
        services.household_add(
            user=bureau_user,
            account=account,
            building=building,
            unit=unit,
            room=room,
            floor_area=Decimal(area),
            owner_name=owner,
            initial_deposit=Decimal(deposit),
        )
    return account


@pytest.fixture
def account_b(compound_b, bureau_user):
    account = services.account_open(user=bureau_user, compound=compound_b)
    services.household_add(
        user=bureau_user,
        account=account,
        building="1",
        room="101",
        floor_area=Decimal("100.00"),
        owner_name="孙七",
        initial_deposit=Decimal("5000.00"),
    )
    return account
