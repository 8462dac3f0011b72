"""Response headers Django does not set itself: the Permissions-Policy (PORTAL_PERMISSIONS_POLICY).

The Content-Security-Policy comes from django-csp, HSTS and the rest from Django's
SecurityMiddleware (settings.py)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class PermissionsPolicyMiddleware:
    """Refuse the browser features the portal never uses (camera, microphone, location…) to
    every page and to anything a page embeds."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}={allow}" for feature, allow in settings.PORTAL_PERMISSIONS_POLICY.items()
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response
