"""The second factor (django-otp): a time-based code (TOTP) from an authenticator app, and
ten one-time recovery codes for the day the phone is lost.

Bureau staff (PORTAL_MFA_REQUIRED_ROLES) must enrol before any page opens for them; every
other role may. Once enrolled, every sign-in asks for a code (MfaMiddleware).
"""

from __future__ import annotations

import io

from django.conf import settings
from django.db import transaction
from django_otp import devices_for_user, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .services import record_save

RECOVERY_CODES = 10
APP_DEVICE = "authenticator"
RECOVERY_DEVICE = "recovery codes"


def mfa_required(user) -> bool:
    """Must this user enrol a second factor before using the portal?"""
    return user.role in settings.PORTAL_MFA_REQUIRED_ROLES


def mfa_enrolled(user) -> bool:
    return user_has_device(user, confirmed=True)


def note_what_is_owed(sender, request, user, **kwargs) -> None:
    """At sign-in (user_logged_in): one who neither has nor needs a second factor owes nothing
    this session, so MfaMiddleware asks the database no more."""
    from .middleware import MfaMiddleware

    session = getattr(request, "session", None)
    if session is not None and not mfa_required(user) and not mfa_enrolled(user):
        session[MfaMiddleware.NOTHING_OWED] = True


def enrolment_device(user) -> TOTPDevice:
    """The user's authenticator being set up: one unconfirmed device, made on first need."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE, confirmed=False)


def qr_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// address as an SVG QR code for the authenticator app to scan
    (drawn here: the portal runs without internet)."""
    import segno

    out = io.BytesIO()
    segno.make(device.config_url, error="m").save(out, kind="svg", scale=4, xmldecl=False)
    return out.getvalue().decode()


def secret_text(device: TOTPDevice) -> str:
    """The key in base32, in groups of four, for typing into an app by hand."""
    from base64 import b32encode

    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@transaction.atomic
def recovery_codes_renew(*, user) -> list[str]:
    """Ten new one-time codes; the old ones stop working."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


@transaction.atomic
def mfa_enrol(*, user, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the authenticator with a code it shows; returns the recovery codes, or None
    when the code is wrong (nothing changes)."""
    # Lock the device: two tabs confirming at once must not leave two sets of codes.
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
    if not device.verify_token(token):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    record_save(user, user=user, reason="two-factor enrolled")
    return recovery_codes_renew(user=user)


def mfa_verify(*, user, token: str):
    """The device (authenticator or a recovery code, used up) that accepts `token`, if any."""
    token = "".join(token.split()).lower()
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=True, for_verify=True):
            if device.verify_token(token):
                return device
    return None


@transaction.atomic
def mfa_reset(*, actor, user) -> None:
    """Remove a colleague's second factor (a lost phone and lost codes): they enrol anew at
    their next sign-in. Recorded in the account's history."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    record_save(user, user=actor, reason="two-factor reset")


def current_code(device: TOTPDevice) -> str:
    """The code the device's app shows now (for the demo's `manage.py otp_code`)."""
    from django_otp.oath import totp

    code = totp(
        device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift
    )
    return f"{code:0{device.digits}d}"


def demo_enrol(*, user, key: str) -> TOTPDevice:
    """Enrol `user` with a published key (the demo's bureau account only)."""
    return TOTPDevice.objects.create(user=user, name=APP_DEVICE, confirmed=True, key=key)
