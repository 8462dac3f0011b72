"""The shell's pages: the public home, health, the dashboard and account management."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .celery import app as celery_app


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


def dashboard(request: HttpRequest) -> HttpResponse:  # filled in by the dashboard work
    raise NotImplementedError


def user_list(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def user_create(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    raise NotImplementedError


def user_password(request: HttpRequest, pk: int) -> HttpResponse:
    raise NotImplementedError
