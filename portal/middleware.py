"""Request-wide rules: Chinese by default (a `?lang=` link picks another language) and how
long a session lasts. Public pages served from the page cache: portal/pagecache.py."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import BadRequest
from django.http import HttpResponseRedirect
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation import gettext as _

from . import pagecache
from .choices import Role


class ChosenLanguageMiddleware(LocaleMiddleware):
    """LocaleMiddleware without Accept-Language: civil servants' browsers are often set to
    English, yet the portal must open in Chinese unless English was picked (language cookie)."""

    QUERY_PARAMETER = "lang"

    def process_request(self, request):
        if request.method in ("GET", "HEAD") and self.QUERY_PARAMETER in request.GET:
            return self._choose(request)
        translation.activate(pagecache.language_of(request))
        request.LANGUAGE_CODE = translation.get_language()
        return None

    def _choose(self, request) -> HttpResponseRedirect:
        """The footer's language links (`?lang=en`): the same address without the parameter,
        with the language cookie set (as Django's set_language does), so that the page shown
        next is the one every visitor of that language gets. An unknown code changes
        nothing."""
        rest = request.GET.copy()
        code = rest.pop(self.QUERY_PARAMETER)[-1]
        query = rest.urlencode()
        response = HttpResponseRedirect(request.path + (f"?{query}" if query else ""))
        if code in dict(settings.LANGUAGES):
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                code,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response


class SessionLimitsMiddleware:
    """A session ends when idle too long (30 minutes for the bureau, whose account can change
    the registry and approve money) and, whatever the activity, after a working day.

    The last activity is written at most once a minute, and never by an htmx poll (a progress
    bar left open must not keep a desk's session alive)."""

    STARTED, SEEN = "portal_session_started", "portal_session_seen"

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            ended = self._ended(request, user)
            if ended:
                return ended
        response = self.get_response(request)
        # Signed in by this very request (the login form): the clocks start now.
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and self.STARTED not in request.session:
            request.session[self.STARTED] = request.session[self.SEEN] = int(time.time())
        return response

    def _ended(self, request, user):
        now = int(time.time())
        session = request.session
        started = session.setdefault(self.STARTED, now)
        seen = session.get(self.SEEN, started)
        idle_minutes = (
            settings.PORTAL_IDLE_MINUTES_BUREAU
            if user.role == Role.BUREAU
            else settings.PORTAL_IDLE_MINUTES
        )
        if now - seen > idle_minutes * 60 or now - started > settings.PORTAL_SESSION_HOURS * 3600:
            logout(request)
            messages.info(
                request,
                _("You were signed out after a time without activity. Sign in again to go on."),
            )
            return redirect_to_login(request.get_full_path())
        if now - seen >= 60 and not request.headers.get("HX-Request"):
            session[self.SEEN] = now
        return None


def _has_nul(values) -> bool:
    return any("\x00" in key or any("\x00" in v for v in vals) for key, vals in values.lists())


class RefuseNulMiddleware:
    """A NUL character belongs in no address, query or form field, and PostgreSQL refuses it
    in any text ("A string literal cannot contain NUL"): answer 400 before a view or a query
    meets it. The contents of uploaded files are not form fields and are left alone."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        if (
            "\x00" in request.path
            or _has_nul(request.GET)
            or (request.method == "POST" and _has_nul(request.POST))
        ):
            raise BadRequest("NUL character in the request")
        return self.get_response(request)


class MfaMiddleware:
    """No page opens for a signed-in user who owes a second factor: an enrolled user gives a
    code at each sign-in, and a role that must enrol (the bureau) enrols first. The sign-out,
    the code pages and the static files stay open, so nobody is trapped."""

    OPEN_PREFIXES = ("/accounts/mfa/", "/accounts/logout/", "/static/", "/i18n/", "/healthz")
    NOTHING_OWED = "portal_mfa_nothing_owed"  # checked once a session, not on every page

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not user.is_verified()
            and not request.session.get(self.NOTHING_OWED)
            and not request.path_info.startswith(self.OPEN_PREFIXES)
        ):
            from . import mfa

            if mfa.mfa_enrolled(user):
                return self._to("portal:mfa_verify", request)
            if mfa.mfa_required(user):
                return self._to("portal:mfa_setup", request)
            request.session[self.NOTHING_OWED] = True
        return self.get_response(request)

    @staticmethod
    def _to(url_name: str, request):
        from django.http import HttpResponseRedirect
        from django.urls import reverse
        from django.utils.http import urlencode

        return HttpResponseRedirect(
            f"{reverse(url_name)}?{urlencode({'next': request.get_full_path()})}"
        )
