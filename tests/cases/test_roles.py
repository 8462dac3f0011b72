"""The department role: bound to one department and nothing else, seeded departments, and
the bureau's user form accepting it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from portal.choices import Role
from portal.models import Department, User
from tests.factories import UserFactory
from tests.signin import verified_login


def test_the_seven_departments_are_seeded_in_order(db):
    assert list(Department.objects.values_list("name", flat=True)) == [
        "城管",
        "消防",
        "市场监管",
        "住建",
        "公安",
        "供水",
        "供电",
    ]


def test_a_department_account_must_name_its_department(db):
    user = User(username="d1", role=Role.DEPARTMENT)
    with pytest.raises(ValidationError) as exc:
        user.clean()
    assert "department" in exc.value.error_dict


def test_a_department_account_binds_nothing_but_its_department(chengguan, street_a):
    user = User(username="d1", role=Role.DEPARTMENT, department=chengguan, street=street_a)
    with pytest.raises(ValidationError) as exc:
        user.clean()
    assert set(exc.value.error_dict) == {"street"}


def test_other_roles_may_not_carry_a_department(chengguan, street_a):
    user = User(username="s1", role=Role.STREET, street=street_a, department=chengguan)
    with pytest.raises(ValidationError) as exc:
        user.clean()
    assert set(exc.value.error_dict) == {"department"}


def test_the_database_refuses_a_department_account_without_department(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="d2", role=Role.DEPARTMENT)


def test_the_scope_label_of_a_department_account_is_its_department(chengguan_user):
    assert chengguan_user.scope_label == "城管"


def test_the_bureau_creates_a_department_account_with_its_form(client, bureau_user, xiaofang):
    verified_login(client, bureau_user)
    response = client.post(
        "/users/new/",
        {
            "username": "xf_officer",
            "full_name": "消防 张干事",
            "email": "",
            "phone": "",
            "role": Role.DEPARTMENT,
            "department": xiaofang.pk,
            "is_active": "on",
            "password": "Long-enough-2026-pass",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    account = User.objects.get(username="xf_officer")
    assert (account.role, account.department) == (Role.DEPARTMENT, xiaofang)


def test_the_user_form_refuses_a_department_role_without_department(client, bureau_user):
    verified_login(client, bureau_user)
    response = client.post(
        "/users/new/",
        {
            "username": "nodept",
            "role": Role.DEPARTMENT,
            "is_active": "on",
            "password": "Long-enough-2026-pass",
        },
    )
    assert response.status_code == 200
    assert not User.objects.filter(username="nodept").exists()


def test_a_department_user_factory_row_is_valid(chengguan):
    UserFactory(role=Role.DEPARTMENT, department=chengguan).full_clean()


def test_the_admin_user_form_binds_a_department(rf, chengguan):
    """A bureau account moved to a department in the admin: bound to it alone."""
    from django.contrib import admin

    superuser = UserFactory(role=Role.BUREAU, is_staff=True, is_superuser=True)
    account = UserFactory(role=Role.BUREAU, username="to_dept")
    request = rf.get("/")
    request.user = superuser
    model_admin = admin.site._registry[User]
    form_class = model_admin.get_form(request, account)
    data = {
        "username": account.username,
        "password": account.password,
        "role": Role.DEPARTMENT,
        "department": chengguan.pk,
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
        "is_active": "on",
    }
    form = form_class(data, instance=account)
    assert form.is_valid(), form.errors
    form.save()
    account.refresh_from_db()
    assert (account.role, account.department) == (Role.DEPARTMENT, chengguan)


def test_the_departments_and_categories_are_kept_in_the_admin(client, db):
    verified_login(client, UserFactory(role=Role.BUREAU, is_staff=True, is_superuser=True))
    assert client.get("/admin/portal/department/").status_code == 200
    assert client.get("/admin/cases/category/").status_code == 200
    assert client.get("/admin/cases/case/").status_code == 200
