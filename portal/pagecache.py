"""Public pages at static-file speed: the bytes an anonymous visitor gets, kept in the shared
cache and served by `PublishedPageMiddleware`, first in MIDDLEWARE, before anything else runs.

An app registers the addresses of its public pages (`register("credit:redblack")` in
`AppConfig.ready()`: that address and every one under it); its views mark the responses that
are the same for every anonymous visitor (`cacheable(response, seconds=...)`). The middleware
keeps such a response, per scheme, address and language, when the request was an anonymous
GET without a session cookie, messages or query string, and serves it again to the next such
request without running anything else: the response is kept as it left the whole stack, so
the security headers (HSTS, CSP, Permissions-Policy, X-Frame-Options...) are replayed with
the bytes, and the request is answered before the other middleware cost anything.

Invalidation is by generation: every kept value carries the generation it was computed
under, read *before* the data; `invalidate()` sets a new one, so everything kept before is
stale at once in every process that shares the cache (Redis in production, Django's own
backend). Services call `invalidate_on_commit()` when what the public pages show changes
(a publication, a correction, an approved repair, a revoked certificate): at once, and again
after the commit, so that a page rendered from the data before the commit is never kept
under the new generation. The same rule keeps other values (`remember()`: the list of
published versions).

A hit costs one read of the generation from the shared cache (there is no window in which a
process serves a page an invalidation ended), the bytes come from this process's own copy.

With LocMem (tests, development) the cache is the process's own: correct in one process
(runserver, the tests), not across several.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.urls import Resolver404, resolve, reverse

from .ratelimits import wait_seconds

logger = logging.getLogger(__name__)

GENERATION_KEY = "pagecache:generation"
PAGE_PREFIX = "pagecache:page"
DAY = 24 * 3600
MAX_PATH = 300
# The cookie django.contrib.messages keeps messages in (CookieStorage.cookie_name) before
# falling back to the session.
MESSAGES_COOKIE = "messages"
# Headers never replayed: a visitor's own cookies; the length, set again from the body.
_NOT_KEPT = {"set-cookie", "content-length"}
# Headers of the body, not sent with a 304 (HttpResponseNotModified drops the Content-Type).
_BODY_HEADERS = ("Content-Disposition",)


_url_names: dict[str, bool] = {}  # url name → whether pages under it have stamps
_prefixes: tuple[tuple[str, ...], tuple[str, ...]] | None = None


def register(url_name: str, *, stamped: bool = False) -> None:
    """Addresses under that of `url_name` may be served from the page cache (an app's public
    pages, registered in its `AppConfig.ready()`); `stamped`: some of them have stamps
    (`register_stamp`), so their address is resolved to compute them."""
    global _prefixes
    _url_names[url_name] = _url_names.get(url_name, False) or stamped
    _prefixes = None


def prefixes(*, stamped: bool = False) -> tuple[str, ...]:
    """The registered address prefixes; `stamped`: those whose pages may have stamps."""
    global _prefixes
    if _prefixes is None:  # reversed on first use: the URLconf is not loaded in ready()
        _prefixes = (
            tuple(reverse(name) for name in _url_names),
            tuple(reverse(name) for name, has in _url_names.items() if has),
        )
    return _prefixes[1] if stamped else _prefixes[0]


# A page that shows data edited without invalidation (the registry: a firm's page) is kept
# under a stamp of that data as well: what the apps' stamp functions, given the address's
# arguments, return (a few cheap reads); None when there is nothing to keep (no such firm).
Stamp = Callable[..., str | None]
_stamps: dict[str, list[Stamp]] = {}


def register_stamp(url_name: str, stamp: Stamp) -> None:
    """`stamp(**kwargs of the address)` changes whenever what the page shows changes, apart
    from what invalidates (publications, repairs, revocations)."""
    stamps = _stamps.setdefault(url_name, [])
    if stamp not in stamps:
        stamps.append(stamp)


def stamp_of(request: HttpRequest) -> str | None:
    """The stamp of the address ("" for a page without stamps), None when not to be kept."""
    if not request.path.startswith(prefixes(stamped=True)):
        return ""  # resolving an address costs more than serving a kept page
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    stamps = _stamps.get(match.view_name)
    if not stamps:
        return ""
    parts = [stamp(**match.kwargs) for stamp in stamps]
    if any(part is None for part in parts):
        return None
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


# --- generations -----------------------------------------------------------------------------


def _new_generation() -> int:
    # An integer: Django's Redis backend stores it as digits, read back without unpickling.
    return secrets.randbits(63)


class _GenerationReader(threading.local):
    """What a thread reads the generation with from Redis: Django's backend makes a new client
    and takes a pooled connection for every call, which costs more than the round trip itself
    (65 µs of CPU against 33 µs); a connection of the thread's own, from the backend's pool,
    of the primary (a replica may not have the new generation yet)."""

    backend: RedisCache | None = None
    connection: Any = None
    key = ""

    def read(self, backend: RedisCache) -> Any:
        if backend is not self.backend:
            client = backend._cache.get_client(GENERATION_KEY, write=True)
            self.connection = client.connection_pool.get_connection()
            self.key = backend.make_and_validate_key(GENERATION_KEY)
            self.backend = backend
        # A failed read disconnects (the next one connects again) and raises: the view answers.
        self.connection.send_command("GET", self.key)
        value = self.connection.read_response()
        return None if value is None else backend._cache._serializer.loads(value)


_reader = _GenerationReader()


def _stored_generation() -> Any:
    """The generation in the shared cache; None if the cache lost it (evicted, flushed)."""
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        return _reader.read(backend)
    return backend.get(GENERATION_KEY)


def generation(found: dict | None = None) -> Any:
    """The current generation, read from the shared cache or taken from `found` (what
    `cache.get_many([GENERATION_KEY, ...])` returned); a new one if the cache lost it: nothing
    kept before is served then."""
    current = _stored_generation() if found is None else found.get(GENERATION_KEY)
    if current is None:
        cache.add(GENERATION_KEY, _new_generation(), None)
        current = cache.get(GENERATION_KEY)
    return current


def invalidate() -> None:
    """Everything kept so far is stale, in every process sharing the cache."""
    cache.set(GENERATION_KEY, _new_generation(), None)


def invalidate_on_commit() -> None:
    """Now (this transaction's own reads) and after the commit (every other process, which
    may have kept a page rendered from the data as it was before the commit)."""
    invalidate()
    transaction.on_commit(invalidate)


def remember(key: str, compute: Callable[[], Any], seconds: int = DAY) -> Any:
    """`compute()`, kept under `key` until the next invalidation: one round trip when kept."""
    found = cache.get_many([GENERATION_KEY, key])
    current = generation(found)
    kept = found.get(key)
    if kept is not None and kept[0] == current:
        return kept[1]
    value = compute()
    cache.set(key, (current, value), seconds)
    return value


# --- pages -----------------------------------------------------------------------------------


def cacheable(
    response: HttpResponse, *, seconds: int = DAY, rate_group: str | None = None
) -> HttpResponse:
    """Mark a response as the one every anonymous visitor of this address gets, for at most
    `seconds` (the generation ends it sooner); `rate_group`: the view's rate limit, which
    the middleware applies when it serves the kept bytes. Only the middleware decides to
    keep a response (an anonymous GET without query string, session or messages)."""
    response.pagecache_seconds = max(0, int(seconds))
    response.pagecache_rate_group = rate_group
    return response


def language_of(request: HttpRequest) -> str:
    """The language chosen by cookie, else the portal's (ChosenLanguageMiddleware's rule)."""
    code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def eligible(request: HttpRequest) -> bool:
    """An anonymous GET without query string, session or messages, to a registered address,
    that SecurityMiddleware would not redirect to HTTPS."""
    return (
        request.path.startswith(prefixes())  # first: every static file asks
        and request.method == "GET"
        and not request.META.get("QUERY_STRING")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and MESSAGES_COOKIE not in request.COOKIES
        and len(request.path) <= MAX_PATH
        and "\x00" not in request.path  # RefuseNulMiddleware, further down, answers 400
        and (request.is_secure() or not settings.SECURE_SSL_REDIRECT)
    )


def page_key(request: HttpRequest, stamp: str = "") -> str:
    """Per scheme (HSTS is sent over HTTPS only), language, stamp and address."""
    return f"{PAGE_PREFIX}:{request.scheme}:{language_of(request)}:{stamp}:{request.path}"


def _etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def _not_modified(request: HttpRequest, headers: dict[str, str]) -> bool:
    etag = headers.get("ETag")
    wanted = request.META.get("HTTP_IF_NONE_MATCH", "")
    return bool(etag and wanted) and (
        wanted.strip() == "*" or etag in [tag.strip() for tag in wanted.split(",")]
    )


def is_current(kept: tuple | None, current: Any) -> bool:
    """Kept under the current generation, not past its time, and not in the future: a clock
    set back (a test's time travel) must not serve a page kept at a later moment."""
    return kept is not None and kept[0] == current and kept[4] <= time.time() < kept[5]


# The kept pages this process served last, by key: a page is read from the shared cache once
# per process and generation, then only the generation is (a few bytes instead of the page,
# and no unpickling). The generation, read from the shared cache on every request, still
# decides: a publication shows at once in every process.
LOCAL_PAGES = 256
_local: OrderedDict[str, tuple] = OrderedDict()


def kept_page(key: str, current: Any) -> tuple | None:
    """The page kept under `key` for the current generation: this process's copy, else the
    shared cache's (one more round trip), else None."""
    kept = _local.get(key)
    if is_current(kept, current):
        _local.move_to_end(key)
        return kept
    kept = cache.get(key)
    if not is_current(kept, current):
        _local.pop(key, None)
        return None
    _local[key] = kept
    if len(_local) > LOCAL_PAGES:
        _local.popitem(last=False)
    return kept


def kept_response(request: HttpRequest, kept: tuple) -> HttpResponse:
    headers, body = kept[1], kept[2]
    if _not_modified(request, headers):
        response = HttpResponseNotModified(headers=headers)
        for name in _BODY_HEADERS:
            response.headers.pop(name, None)
        return response
    response = HttpResponse(body, headers=headers)
    response["Content-Length"] = str(len(body))  # as a static file: not chunked
    return response


def keep(request: HttpRequest, response: HttpResponse, current: Any, key: str) -> HttpResponse:
    """Keep a marked response of an eligible request, as the whole stack made it, with its
    headers for replay (ETag and Cache-Control added: every visitor revalidates, none keeps a
    stale copy)."""
    seconds = getattr(response, "pagecache_seconds", 0)
    user = getattr(request, "user", None)
    if (
        not seconds
        or response.status_code != 200
        or response.cookies  # a CSRF token, a session, a language: this visitor's own
        or (user is not None and user.is_authenticated)
    ):
        return response
    if response.streaming:  # a small download (the lists as CSV): read once, kept whole
        body = b"".join(response.streaming_content)
        response.streaming_content = [body]
    else:
        body = response.content
    response["ETag"] = _etag(body)
    response["Cache-Control"] = "no-cache"
    headers = {name: value for name, value in response.items() if name.lower() not in _NOT_KEPT}
    try:
        now = time.time()
        group = getattr(response, "pagecache_rate_group", None)
        cache.set(key, (current, headers, body, group, now, now + seconds), seconds)
    except Exception:  # noqa: BLE001 — the cache server is down: the page is served anyway
        logger.warning("page %s not kept: the cache is unavailable", request.path)
    if _not_modified(request, headers):
        return kept_response(request, (current, headers, body, None, 0, 0))
    return response


class PublishedPageMiddleware:
    """Serve the kept bytes of a public page to an anonymous GET without session, messages or
    query string, first of all middleware: one read of the generation from the shared cache,
    the bytes and headers from this process's copy. On a miss the rest of the stack and the
    view run, and a response the view marked `cacheable` is kept for the next visitor."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not eligible(request):
            return self.get_response(request)
        stamp = stamp_of(request)
        if stamp is None:
            return self.get_response(request)
        key = page_key(request, stamp)
        try:
            current = generation()
            kept = kept_page(key, current)
        except Exception:  # noqa: BLE001 — the cache server is down: the view answers
            logger.warning("page cache unavailable for %s", request.path)
            return self.get_response(request)
        if kept is not None:
            group = kept[3]
            # Over the rate limit, the view answers 429 (counting the request once more).
            if not (group and wait_seconds(request, group)):
                return kept_response(request, kept)
        return keep(request, self.get_response(request), current, key)
