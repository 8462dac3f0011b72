"""The shell's pages: the public home, health, the dashboard and account management."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django_otp import login as otp_login

from . import mfa, selectors, services, workbench
from .celery import app as celery_app
from .forms import MfaCodeForm, PasswordResetForm, UserCreateForm, UserForm, UserSearchForm
from .models import User
from .web import bureau_required, landing_title


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html")


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:  # noqa: BLE001 — any failure means "not reachable"
        return False


def _broker_state() -> str:
    if celery_app.conf.task_always_eager:
        return "in-process"
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return "ok"
    except Exception:  # noqa: BLE001
        return "unreachable"


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Database and broker reachability, for the load balancer and the operator."""
    database = "ok" if _database_ok() else "unreachable"
    broker = _broker_state()
    healthy = database == "ok" and broker in {"ok", "in-process"}
    return JsonResponse(
        {"status": "ok" if healthy else "error", "database": database, "broker": broker},
        status=200 if healthy else 503,
    )


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Where every role lands after signing in: its to-do list and the cards of its role."""
    today = timezone.localdate()
    context = {
        "title": landing_title(request.user),
        "todos": workbench.todos_for(request.user, today),
        "cards": workbench.cards_for(request.user, today),
    }
    return render(request, "portal/workbench.html", context)


@bureau_required
def user_list(request: HttpRequest) -> HttpResponse:
    search = UserSearchForm(request.GET or None)
    users = selectors.users_search(
        q=search.cleaned_data["q"] if search.is_valid() else "",
        role=search.cleaned_data["role"] if search.is_valid() else "",
    )
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    return render(request, "portal/user_list.html", {"search": search, "page_obj": page})


@bureau_required
def user_create(request: HttpRequest) -> HttpResponse:
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        user = services.user_create(actor=request.user, password=data.pop("password"), **data)
        messages.success(request, _("Account %(name)s created.") % {"name": user.username})
        return redirect("portal:user_list")
    return render(request, "portal/user_form.html", {"form": form})


@bureau_required
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(User, pk=pk)
    form = UserForm(request.POST or None, instance=account)
    if request.method == "POST" and form.is_valid():
        services.user_update(actor=request.user, user=account, **form.cleaned_data)
        messages.success(request, _("Account %(name)s saved.") % {"name": account.username})
        return redirect("portal:user_list")
    history = account.history.select_related("history_user")[:20]
    return render(
        request, "portal/user_form.html", {"form": form, "account": account, "history": history}
    )


@bureau_required
def user_password(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(User, pk=pk)
    form = PasswordResetForm(request.POST or None, user=account)
    if request.method == "POST" and form.is_valid():
        services.user_set_password(
            actor=request.user, user=account, password=form.cleaned_data["password"]
        )
        messages.success(
            request, _("The password of %(name)s was reset.") % {"name": account.username}
        )
        return redirect("portal:user_edit", pk=account.pk)
    return render(request, "portal/user_password.html", {"form": form, "account": account})


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A refused form (expired or without its CSRF token), in the portal's layout."""
    return render(request, "403_csrf.html", status=403)


# --- the second factor (portal/mfa.py) -----------------------------------------------------


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("portal:dashboard")


@login_required
def mfa_setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app (scan, then type its code), or, once enrolled, manage it."""
    user = request.user
    if mfa.mfa_enrolled(user):
        if not user.is_verified():
            return redirect(f"{reverse('portal:mfa_verify')}?next={_next_url(request)}")
        context = {"required": mfa.mfa_required(user), "next": _next_url(request)}
        return render(request, "registration/mfa_manage.html", context)
    device = mfa.enrolment_device(user)
    form = MfaCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = mfa.mfa_enrol(user=user, device=device, token=form.cleaned_data["code"])
        if codes is not None:
            otp_login(request, device)
            # Shown once, in this answer: no address keeps them.
            return render(
                request, "registration/mfa_codes.html", {"codes": codes, "next": _next_url(request)}
            )
        form.add_error(
            "code",
            _(
                "That code is not right. Check the time on your phone and type the code it shows now."
            ),
        )
    context = {
        "form": form,
        "qr_svg": mfa.qr_svg(device),
        "secret": mfa.secret_text(device),
        "required": mfa.mfa_required(user),
        "next": _next_url(request),
    }
    return render(request, "registration/mfa_setup.html", context)


@login_required
def mfa_verify(request: HttpRequest) -> HttpResponse:
    """The code asked at each sign-in of an enrolled user."""
    form = MfaCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = mfa.mfa_verify(user=request.user, token=form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            return redirect(_next_url(request))
        form.add_error(
            "code",
            _("That code is not right, or was used already. Try the code your app shows now."),
        )
    return render(
        request, "registration/mfa_verify.html", {"form": form, "next": _next_url(request)}
    )


@login_required
@require_POST
def mfa_codes_renew(request: HttpRequest) -> HttpResponse:
    if not request.user.is_verified():
        raise PermissionDenied
    codes = mfa.recovery_codes_renew(user=request.user)
    return render(
        request, "registration/mfa_codes.html", {"codes": codes, "next": _next_url(request)}
    )


@login_required
@require_POST
def mfa_remove(request: HttpRequest) -> HttpResponse:
    """Whoever may go without a second factor may remove their own."""
    if mfa.mfa_required(request.user) or not request.user.is_verified():
        raise PermissionDenied(_("Your role must keep its second factor."))
    mfa.mfa_reset(actor=request.user, user=request.user)
    messages.success(request, _("The second factor was removed from your account."))
    return redirect("portal:dashboard")


@bureau_required
@require_POST
def user_mfa_reset(request: HttpRequest, pk: int) -> HttpResponse:
    """A colleague lost their phone and their codes: they enrol again at their next sign-in."""
    account = get_object_or_404(User, pk=pk)
    mfa.mfa_reset(actor=request.user, user=account)
    messages.success(
        request, _("The second factor of %(name)s was reset.") % {"name": account.username}
    )
    return redirect("portal:user_edit", pk=account.pk)
