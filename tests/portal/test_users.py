"""Account management by bureau staff, and sign-in throttling."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.choices import Role
from portal.models import User
from tests.factories import PASSWORD, UserFactory

NEW_PASSWORD = "Spring-Garden-2027"


def test_bureau_staff_create_a_street_officer_bound_to_a_street(client_of, bureau_user, street_a):
    response = client_of(bureau_user).post(
        reverse("portal:user_create"),
        {
            "username": "zhang",
            "full_name": "张伟",
            "role": Role.STREET,
            "street": street_a.pk,
            "password": NEW_PASSWORD,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    officer = User.objects.get(username="zhang")
    assert officer.street == street_a
    assert officer.check_password(NEW_PASSWORD)
    assert officer.history.first().history_user == bureau_user


def test_a_street_officer_without_a_street_is_refused(client_of, bureau_user):
    response = client_of(bureau_user).post(
        reverse("portal:user_create"),
        {"username": "li", "role": Role.STREET, "password": NEW_PASSWORD, "is_active": "on"},
    )
    assert response.status_code == 200
    assert "street" in response.context["form"].errors
    assert not User.objects.filter(username="li").exists()


def test_a_bureau_account_bound_to_a_street_is_refused(client_of, bureau_user, street_a):
    response = client_of(bureau_user).post(
        reverse("portal:user_create"),
        {"username": "wang", "role": Role.BUREAU, "street": street_a.pk, "password": NEW_PASSWORD},
    )
    assert "street" in response.context["form"].errors
    assert not User.objects.filter(username="wang").exists()


@pytest.mark.parametrize("password", ["short1", "12345678901", "password123"])
def test_weak_passwords_are_refused(client_of, bureau_user, password):
    response = client_of(bureau_user).post(
        reverse("portal:user_create"),
        {"username": "zhao", "role": Role.BUREAU, "password": password},
    )
    assert "password" in response.context["form"].errors
    assert not User.objects.filter(username="zhao").exists()


def test_bureau_staff_reset_a_password(client_of, bureau_user, street_officer):
    response = client_of(bureau_user).post(
        reverse("portal:user_password", args=[street_officer.pk]), {"password": NEW_PASSWORD}
    )
    assert response.status_code == 302
    street_officer.refresh_from_db()
    assert street_officer.check_password(NEW_PASSWORD)


def test_bureau_staff_disable_an_account(client_of, bureau_user, street_officer):
    response = client_of(bureau_user).post(
        reverse("portal:user_edit", args=[street_officer.pk]),
        {
            "username": street_officer.username,
            "role": Role.STREET,
            "street": street_officer.street_id,
        },
    )
    assert response.status_code == 302
    street_officer.refresh_from_db()
    assert not street_officer.is_active


def test_user_list_searches_by_role(client_of, bureau_user, street_officer, firm_user):
    response = client_of(bureau_user).get(reverse("portal:user_list"), {"role": Role.FIRM})
    assert list(response.context["page_obj"]) == [firm_user]


@pytest.mark.parametrize(
    "person",
    ["street_officer", "community_officer", "association_user", "firm_user", "committee_user"],
)
@pytest.mark.parametrize("view", ["portal:user_list", "portal:user_create"])
def test_only_bureau_staff_manage_accounts(client_of, request, person, view):
    response = client_of(request.getfixturevalue(person)).get(reverse(view))
    assert response.status_code == 403


def test_other_roles_cannot_reset_passwords(client_of, street_officer, other_street_officer):
    response = client_of(street_officer).post(
        reverse("portal:user_password", args=[other_street_officer.pk]), {"password": NEW_PASSWORD}
    )
    assert response.status_code == 403
    other_street_officer.refresh_from_db()
    assert other_street_officer.check_password(PASSWORD)


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("portal:user_list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_sign_in_with_the_right_password(client, street_officer):
    response = client.post(
        reverse("login"), {"username": street_officer.username, "password": PASSWORD}
    )
    assert response.status_code == 302


def test_five_failed_sign_ins_lock_the_account_even_for_the_right_password(client, street_officer):
    for _ in range(5):
        client.post(reverse("login"), {"username": street_officer.username, "password": "wrong"})
    response = client.post(
        reverse("login"), {"username": street_officer.username, "password": PASSWORD}
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_lock_on_one_user_leaves_another_alone(client, street_officer, street_colleague):
    for _ in range(5):
        client.post(reverse("login"), {"username": street_officer.username, "password": "wrong"})
    response = client.post(
        reverse("login"), {"username": street_colleague.username, "password": PASSWORD}
    )
    assert response.status_code == 302


def test_role_scope_mismatch_is_refused_by_the_database(db, street_a):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        UserFactory(role=Role.FIRM, street=street_a)
