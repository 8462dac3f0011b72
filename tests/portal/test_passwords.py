"""Passwords a guesser would try first in this city are refused, in Chinese."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import translation

from portal.choices import Role
from portal.models import User


@pytest.fixture
def clerk():
    return User(
        username="wangwei01",
        full_name="王伟",
        email="ww.housing@example.cn",
        phone="13912345678",
        role=Role.BUREAU,
    )


def _refused(password: str, user=None) -> bool:
    try:
        validate_password(password, user)
    except ValidationError:
        return True
    return False


@pytest.mark.parametrize(
    "password",
    ["Jilin2026!", "jilinshi@123", "Zhujianju#2026", "WUYE!88888", "吉林2026吉林市!!"],
)
def test_the_citys_and_the_bureaus_names_are_refused(password):
    assert _refused(password)


@pytest.mark.parametrize("password", ["wangwei@2026", "Wangwei01!!", "x13912345678x"])
def test_the_users_own_names_and_number_are_refused(password, clerk):
    assert _refused(password, clerk)


@pytest.mark.parametrize(
    "password", ["woaini1314!!", "5201314520", "1qaz2wsx!@#", "Qwertyuiop1", "19880615@@"]
)
def test_common_chinese_habits_and_dates_are_refused(password):
    assert _refused(password)


@pytest.mark.parametrize("password", ["Tiger-lantern-97", "桂花 落在 松江 边", "Kp7!rW2#mZq9"])
def test_a_password_nobody_would_guess_passes(password, clerk):
    assert not _refused(password, clerk)


def test_the_refusal_says_why_in_chinese(clerk):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        validate_password("Jilin2026!", clerk)
    assert any("猜" in message for message in refused.value.messages)


def test_the_published_demo_password_still_passes_for_the_demo_accounts():
    from portal.demo import DEMO_PASSWORD

    demo = User(username="demo_bureau", full_name="市住建局物业科 王科长", role=Role.BUREAU)
    assert not _refused(DEMO_PASSWORD, demo)
