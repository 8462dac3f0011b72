"""`manage.py otp_code USERNAME`: the sign-in code an account's authenticator shows now.

For the demo and for development only: the code is what a phone would show, so this command
refuses to run in production (DJANGO_ENV=production)."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal import mfa


class Command(BaseCommand):
    help = "Print the current sign-in code of an account's authenticator (not in production)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")

    def handle(self, *args, username: str, **options) -> None:
        if settings.PRODUCTION:
            raise CommandError("otp_code does not run in production (DJANGO_ENV=production).")
        device = (
            TOTPDevice.objects.filter(user__username=username).order_by("-confirmed", "pk").first()
        )
        if device is None:
            raise CommandError(f"{username} has no authenticator.")
        self.stdout.write(mfa.current_code(device))
