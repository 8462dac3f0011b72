"""Sign-in: the lockout counts the person behind the proxy, by user and address together."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.test import Client, RequestFactory
from django.urls import reverse

from portal.web import client_ip
from tests.factories import PASSWORD
from tests.signin import sign_in_with_form

PROXY = "10.0.0.2"  # the reverse proxy: every request reaches gunicorn from here


def _through_proxy(forwarded_for: str) -> Client:
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)


def _sign_in(client: Client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


@pytest.fixture
def one_proxy(settings):
    settings.PORTAL_PROXY_COUNT = 1
    settings.AXES_FAILURE_LIMIT = 5


def test_the_persons_address_is_the_one_our_proxy_appended(one_proxy):
    request = RequestFactory().get(
        "/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7"
    )
    # 6.6.6.6 is what the client claimed; our proxy appended the address it really came from.
    assert client_ip(request) == "203.0.113.7"


def test_without_a_proxy_the_connecting_address_counts(settings):
    settings.PORTAL_PROXY_COUNT = 0
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert client_ip(request) == "203.0.113.7"


def test_a_header_that_is_no_address_falls_back_to_the_connection(one_proxy):
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="not-an-ip")
    assert client_ip(request) == PROXY


def test_five_failures_lock_the_attacker_not_the_bureau_behind_the_same_proxy(
    one_proxy, bureau_user
):
    attacker = _through_proxy("198.51.100.66")
    answers = [_sign_in(attacker, bureau_user.username, "wrong") for _ in range(5)]
    assert [a.status_code for a in answers] == [200, 200, 200, 200, 429]  # the fifth locks
    locked = _sign_in(attacker, bureau_user.username, PASSWORD)
    assert locked.status_code == 429
    assert "登录失败次数过多" in locked.content.decode()

    colleague = _through_proxy("203.0.113.7")  # the real clerk, through the same proxy
    assert _sign_in(colleague, bureau_user.username, PASSWORD).status_code == 302


def test_a_forged_forwarded_for_cannot_lock_out_someone_elses_address(one_proxy, bureau_user):
    # The attacker writes the clerk's address in the header; the proxy appends the real one.
    forger = _through_proxy("203.0.113.7, 198.51.100.66")
    for _ in range(6):
        _sign_in(forger, bureau_user.username, "wrong-password")
    assert (
        _sign_in(_through_proxy("203.0.113.7"), bureau_user.username, PASSWORD).status_code == 302
    )


# --- how long a session lasts -------------------------------------------------------------


def _signed_in(who) -> Client:
    client = Client()
    sign_in_with_form(client, who.username, PASSWORD)
    assert _opens(client)
    return client


def _opens(client: Client) -> bool:
    return client.get(reverse("portal:dashboard")).status_code == 200


def test_a_bureau_session_ends_after_thirty_idle_minutes(bureau_user, time_machine):
    time_machine.move_to("2026-11-30 09:00 +08:00", tick=False)
    client = _signed_in(bureau_user)
    time_machine.move_to("2026-11-30 09:29 +08:00", tick=False)
    assert _opens(client)
    time_machine.move_to("2026-11-30 10:00 +08:00", tick=False)  # 31 minutes since
    response = client.get(reverse("portal:dashboard"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert not _opens(client)  # signed out for good, not only redirected once


def test_an_officer_may_stay_idle_longer_than_the_bureau(street_officer, time_machine):
    time_machine.move_to("2026-11-30 09:00 +08:00", tick=False)
    client = _signed_in(street_officer)
    time_machine.move_to("2026-11-30 10:30 +08:00", tick=False)
    assert _opens(client)
    time_machine.move_to("2026-11-30 12:31 +08:00", tick=False)
    assert not _opens(client)


def test_no_session_outlives_a_working_day_however_busy(bureau_user, time_machine):
    time_machine.move_to("2026-11-30 08:00 +08:00", tick=False)
    client = _signed_in(bureau_user)
    for hour in range(8, 18):
        for minute in (0, 20, 40):
            time_machine.move_to(f"2026-11-30 {hour:02d}:{minute:02d} +08:00", tick=False)
            assert _opens(client), f"{hour}:{minute}"
    time_machine.move_to("2026-11-30 18:01 +08:00", tick=False)
    assert not _opens(client)


def test_a_progress_poll_does_not_keep_a_session_alive(bureau_user, time_machine):
    time_machine.move_to("2026-11-30 09:00 +08:00", tick=False)
    client = _signed_in(bureau_user)
    for minute in (10, 20, 29):
        time_machine.move_to(f"2026-11-30 09:{minute:02d} +08:00", tick=False)
        client.get(reverse("portal:dashboard"), HTTP_HX_REQUEST="true")
    time_machine.move_to("2026-11-30 09:31 +08:00", tick=False)
    assert not _opens(client)


def test_the_demo_with_its_published_password_never_loads_in_production(settings, db):
    from django.core.management import CommandError, call_command

    from portal.models import District

    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="DJANGO_ENV=production"):
        call_command("load_demo")
    assert not District.objects.exists()


def test_a_user_name_of_100000_characters_is_refused_by_the_form_not_a_500(client, db):
    response = client.post(
        reverse("login"), {"username": "甲" * 100_000, "password": "whatever-2026"}
    )

    assert response.status_code == 200
    assert "150" in response.content.decode()  # 请确保该值不超过 150 个字符
    assert not AccessAttempt.objects.exists()  # never reached the lockout's records
