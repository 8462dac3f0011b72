"""What the credit pages share: the access check of the pages for the bureau and the
association."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse

from .. import selectors


def readers_only(view: Callable) -> Callable:
    """Signed in, and the bureau or the association (others get 404: the pages do not exist
    for them)."""

    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not selectors.can_read_ratings(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper
