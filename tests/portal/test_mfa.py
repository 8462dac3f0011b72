"""Two-step sign-in: bureau staff must, others may; a code at every sign-in once enrolled."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal import mfa
from tests.factories import PASSWORD
from tests.signin import code_now


def _password_only(user) -> Client:
    client = Client()
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _enrol(client, user) -> list[str]:
    setup = reverse("portal:mfa_setup")
    client.get(setup)
    response = client.post(setup, {"code": code_now(user), "next": "/registry/firms/"})
    assert response.status_code == 200
    return response.context["codes"]


def test_a_bureau_clerk_enrols_before_any_page_opens(bureau_user):
    client = _password_only(bureau_user)
    for url in ("/dashboard/", "/registry/firms/", "/users/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("portal:mfa_setup"))
    page = client.get(reverse("portal:mfa_setup")).content.decode()
    assert "<svg" in page and 'id="mfa-secret"' in page  # a QR drawn here, and the key


def test_a_wrong_code_confirms_nothing(bureau_user):
    client = _password_only(bureau_user)
    client.get(reverse("portal:mfa_setup"))
    response = client.post(reverse("portal:mfa_setup"), {"code": "000000"})
    assert "不正确" in response.content.decode()
    assert not mfa.mfa_enrolled(bureau_user)
    assert client.get("/dashboard/").status_code == 302


def test_enrolling_shows_ten_recovery_codes_once_and_opens_the_portal(bureau_user):
    client = _password_only(bureau_user)
    codes = _enrol(client, bureau_user)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/dashboard/").status_code == 200
    assert TOTPDevice.objects.filter(user=bureau_user, confirmed=False).count() == 0


def test_every_later_sign_in_asks_for_the_code(bureau_user, time_machine):
    time_machine.move_to("2026-11-30 09:00:00 +08:00", tick=False)
    _enrol(_password_only(bureau_user), bureau_user)
    # A code works once: the next sign-in is in a later 30-second step, with a new code.
    time_machine.move_to("2026-11-30 09:00:40 +08:00", tick=False)
    client = _password_only(bureau_user)
    asked = client.get("/registry/firms/")
    assert asked["Location"].startswith(reverse("portal:mfa_verify"))
    verify = asked["Location"]
    assert "不正确" in client.post(verify, {"code": "123456"}).content.decode()
    # Each wrong code makes the next try wait longer (django-otp's throttling): a guesser
    # cannot try the million codes; a clerk who mistyped waits a second.
    assert "不正确" in client.post(verify, {"code": code_now(bureau_user)}).content.decode()
    time_machine.move_to("2026-11-30 09:00:42 +08:00", tick=False)
    assert client.post(verify, {"code": code_now(bureau_user)})["Location"] == "/registry/firms/"
    assert client.get("/registry/firms/").status_code == 200


def test_a_code_already_used_does_not_sign_in_again(bureau_user, time_machine):
    time_machine.move_to("2026-11-30 09:00:00 +08:00", tick=False)
    _enrol(_password_only(bureau_user), bureau_user)
    replay = _password_only(bureau_user)  # the same 30 seconds: the enrolment's code again
    response = replay.post(reverse("portal:mfa_verify"), {"code": code_now(bureau_user)})
    assert response.status_code == 200


def test_a_recovery_code_signs_in_once(bureau_user):
    codes = _enrol(_password_only(bureau_user), bureau_user)
    first = _password_only(bureau_user)
    assert first.post(reverse("portal:mfa_verify"), {"code": codes[0].upper()}).status_code == 302
    second = _password_only(bureau_user)
    response = second.post(reverse("portal:mfa_verify"), {"code": codes[0]})
    assert response.status_code == 200  # used up: the form again
    assert second.get("/dashboard/").status_code == 302


def test_signing_out_and_the_code_pages_stay_open_while_a_code_is_owed(bureau_user):
    client = _password_only(bureau_user)
    assert client.get(reverse("portal:mfa_setup")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302


def test_an_officer_is_not_asked_but_may_enrol_and_then_is_asked(street_officer):
    client = _password_only(street_officer)
    assert client.get("/dashboard/").status_code == 200
    _enrol(client, street_officer)
    later = _password_only(street_officer)
    assert later.get("/dashboard/")["Location"].startswith(reverse("portal:mfa_verify"))


def test_an_officer_may_remove_it_a_bureau_clerk_may_not(street_officer, bureau_user):
    officer = _password_only(street_officer)
    _enrol(officer, street_officer)
    assert officer.post(reverse("portal:mfa_remove")).status_code == 302
    assert not mfa.mfa_enrolled(street_officer)
    clerk = _password_only(bureau_user)
    _enrol(clerk, bureau_user)
    assert clerk.post(reverse("portal:mfa_remove")).status_code == 403
    assert mfa.mfa_enrolled(bureau_user)


def test_the_administrator_resets_a_lost_phone_and_the_history_says_so(
    client_of, bureau_user, street_officer
):
    _enrol(_password_only(street_officer), street_officer)
    admin = client_of(bureau_user)
    response = admin.post(reverse("portal:user_mfa_reset", args=[street_officer.pk]))
    assert response.status_code == 302
    assert not mfa.mfa_enrolled(street_officer)
    page = admin.get(reverse("portal:user_edit", args=[street_officer.pk])).content.decode()
    assert "两步验证已重置" in page


def test_only_the_bureau_resets_a_second_factor(client_of, street_officer, bureau_user):
    response = client_of(street_officer).post(
        reverse("portal:user_mfa_reset", args=[bureau_user.pk])
    )
    assert response.status_code == 403


def test_the_demo_code_command_never_runs_in_production(settings, bureau_user):
    mfa.demo_enrol(user=bureau_user, key="3132333435363738393031323334353637383930")
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command("otp_code", bureau_user.username)
