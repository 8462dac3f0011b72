"""Small helpers every app's views share: access by role and a service's refusal on a form."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from .choices import Role
from .scoping import is_bureau

LANDING_TITLES = {
    Role.FIRM: _("Firm home"),
    Role.OWNERS_COMMITTEE: _("Compound home"),
}


def landing_title(user) -> str:
    """The name of the page a user lands on: the workbench of officers and bureau staff, the
    home of a firm or of an owners' committee."""
    return str(LANDING_TITLES.get(user.role, _("Workbench")))


def bureau_required(view: Callable) -> Callable:
    """Signed in (else the sign-in page) and bureau staff (else 403)."""

    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not is_bureau(request.user):
            raise PermissionDenied(_("Only bureau staff may do this."))
        return view(request, *args, **kwargs)

    return wrapper


def visible_to(test: Callable[..., bool]) -> Callable[[Callable], Callable]:
    """Signed in (else the sign-in page) and passing `test(user)` (else 404: the pages do not
    exist for who may not see them)."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not test(request.user):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def refusal_messages(request: HttpRequest, refusal: ValidationError | Form) -> None:
    """A service's refusal, or an invalid form's errors, as messages on the page the view
    redirects to (the forms of a detail page that post and come back)."""
    if isinstance(refusal, Form):
        for errors in refusal.errors.values():
            for message in errors:
                messages.error(request, message)
    else:
        for message in refusal.messages:
            messages.error(request, message)


def act_and_return(
    request: HttpRequest, form: Form, act: Callable[[dict], object], done: str, back
) -> HttpResponse:
    """A form of a detail page, posted: when valid, the service `act(cleaned_data)` runs and
    `done` is said; the form's errors or the service's refusal become messages instead; then
    back to the page (`back`, a response)."""
    if not form.is_valid():
        refusal_messages(request, form)
        return back
    try:
        act(form.cleaned_data)
    except ValidationError as exc:
        refusal_messages(request, exc)
    else:
        messages.success(request, done)
    return back


def add_service_errors(form: Form, exc: ValidationError) -> None:
    """Show a service's refusal on the form: on its field when the form has one, else on top."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, errors in exc.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def client_ip(request: HttpRequest) -> str:
    """The address of the person, not of our reverse proxies.

    Each of the PORTAL_PROXY_COUNT proxies in front appends the address it was reached from
    to X-Forwarded-For, so the person's is the count-th entry from the right; whatever a
    client wrote further left is its own claim and is ignored. With no proxy configured, or a
    header shorter than the count of proxies (a request that bypassed them), the connecting
    address is the client's.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.PORTAL_PROXY_COUNT
    if count <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [hop for hop in hops if hop]
    if len(hops) < count:
        return remote
    candidate = hops[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
