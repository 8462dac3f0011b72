"""Rate limits on the public endpoints: a person never meets them, a scraper does.

Each limited view names its group (`@rate_limit("public_files")`); the groups' rates are
settings (PORTAL_RATE_LIMITS: "60/m", "20/m", "100/h"). A visitor is counted per client
address as the reverse proxies saw it (portal.web.client_ip), an IPv6 client per /64 (one
household or office is given a whole /64 and may use any address in it); a signed-in person
per account, as the colleagues of an office may share one address. Past the limit the answer
is 429, a page in the portal's layout in the visitor's language, with Retry-After.

Counts live in the Django cache (Redis in production, shared by every worker), in fixed
windows: one `add` and one `incr` per request. If the cache is down the request is served:
an outage of the cache must not close the public pages.
"""

from __future__ import annotations

import ipaddress
import logging
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache, wraps

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .web import client_ip

logger = logging.getLogger(__name__)

_RATE = re.compile(r"^(\d+)/(\d*)([smhd])$")
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int


@lru_cache(maxsize=32)
def parse_rate(text: str) -> Rate:
    """ "60/m" is 60 a minute, "100/h" 100 an hour, "30/10m" 30 in ten minutes."""
    match = _RATE.match(text.strip())
    if not match or int(match[1]) < 1:
        raise ImproperlyConfigured(f"A rate is a count per period such as 60/m, not {text!r}.")
    return Rate(int(match[1]), int(match[2] or 1) * _SECONDS[match[3]])


def visitor(request: HttpRequest) -> str:
    """Who is counted: the account when signed in, else the client's address (IPv6 by /64)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    address = client_ip(request)
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return f"ip:{address}"
    if ip.version == 6:
        if ip.ipv4_mapped is not None:  # ::ffff:192.0.2.1 is 192.0.2.1
            return f"ip:{ip.ipv4_mapped}"
        return f"ip:{ipaddress.ip_network(f'{ip}/64', strict=False).network_address}/64"
    return f"ip:{ip}"


def wait_seconds(request: HttpRequest, group: str) -> int:
    """Count this request in its group; 0 when it may be served, else the seconds to wait."""
    if not settings.PORTAL_RATE_LIMITS_ENABLED:
        return 0
    rate = parse_rate(settings.PORTAL_RATE_LIMITS[group])
    now = int(time.time())
    window = now // rate.seconds
    key = f"ratelimit:{group}:{visitor(request)}:{window}"
    try:
        # add() starts the window's count (a no-op when it exists), incr() counts atomically.
        cache.add(key, 0, rate.seconds + 5)
        count = cache.incr(key)
    except ValueError:  # the key expired between the two calls: the window is over anyway
        return 0
    except Exception:  # noqa: BLE001 — the cache server is down: serve, and say so
        logger.warning("rate limit of %s not counted: the cache is unavailable", group)
        return 0
    if count <= rate.count:
        return 0
    return max(1, (window + 1) * rate.seconds - now)


def too_many_requests(request: HttpRequest, wait: int) -> HttpResponse:
    response = render(request, "429.html", {"wait": wait}, status=429)
    response["Retry-After"] = str(wait)
    return response


def rate_limit(group: str, *, methods: Iterable[str] | None = None) -> Callable:
    """Limit a view to the rate of `group` per visitor; only the given methods, if any."""
    limited = {m.upper() for m in methods} if methods else None

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if limited is None or request.method in limited:
                wait = wait_seconds(request, group)
                if wait:
                    return too_many_requests(request, wait)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


class RateLimitedPostsMiddleware:
    """The POSTs of views that are not ours to decorate (Django's sign-in form, named in
    PORTAL_RATE_LIMITED_POSTS with their group): axes locks one user name at one address
    after a few failures; this stops one address from trying many user names."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if request.method != "POST" or request.resolver_match is None:
            return None
        group = settings.PORTAL_RATE_LIMITED_POSTS.get(request.resolver_match.view_name)
        if group is None:
            return None
        wait = wait_seconds(request, group)
        return too_many_requests(request, wait) if wait else None
