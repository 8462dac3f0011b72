"""Signing in as tests need it, second factor included (portal/mfa.py).

`verified_login(client, user)`: the session of a user who signed in and typed the code of
their authenticator (bureau accounts must; others pass it when enrolled).
`sign_in_with_form(client, username, password)`: the whole form flow a person goes through,
answering the code page with the code the account's authenticator shows now (enrolling the
account first, through the setup page, when its role must and it has not yet).
"""

from __future__ import annotations

import time

from django.contrib.auth import get_user_model
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal import mfa


def authenticator_of(user) -> TOTPDevice:
    """The account's confirmed authenticator, enrolled for the test if it has none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name=mfa.APP_DEVICE, confirmed=True)


def verified_login(client, user):
    client.force_login(user)
    if mfa.mfa_required(user) or mfa.mfa_enrolled(user):
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = authenticator_of(user).persistent_id
        session.save()
    return client


def code_now(user) -> str:
    device = TOTPDevice.objects.filter(user=user).order_by("-confirmed", "pk").first()
    return mfa.current_code(device)


def sign_in_code(user) -> str:
    """A code that signs `user` in now: the authenticator's, or, when that code was used in
    these 30 seconds already (a code works once; tests sign in faster than people), a
    recovery code made for the occasion."""
    device = TOTPDevice.objects.filter(user=user).order_by("-confirmed", "pk").first()
    step = int(time.time() - device.t0) // device.step
    if not device.confirmed or device.last_t < step:
        return mfa.current_code(device)
    recovery, _created = StaticDevice.objects.get_or_create(
        user=user, name=mfa.RECOVERY_DEVICE, defaults={"confirmed": True}
    )
    return StaticToken.objects.create(device=recovery, token=StaticToken.random_token()).token


def sign_in_with_form(client, username: str, password: str):
    """Post the sign-in form, then the second factor if asked; returns the last response."""
    response = client.post(reverse("login"), {"username": username, "password": password})
    if response.status_code != 302:
        return response
    user = get_user_model().objects.get(username=username)
    landing = client.get(response["Location"])
    if landing.status_code == 302 and landing["Location"].startswith(reverse("portal:mfa_setup")):
        client.get(landing["Location"])  # the setup page makes the authenticator to confirm
        return client.post(landing["Location"], {"code": code_now(user)})
    if landing.status_code == 302 and landing["Location"].startswith(reverse("portal:mfa_verify")):
        return client.post(landing["Location"], {"code": sign_in_code(user)})
    return response
