"""/healthz: what the load balancer and the operator poll."""

from __future__ import annotations

import os

import pytest

from portal.celery import app


@pytest.fixture
def broker_as_configured():
    """Tests run tasks in-process (tests/conftest.py); /healthz must see the broker as
    configured: with REDIS_URL set it goes to Redis."""
    saved = app.conf.task_always_eager
    app.conf.task_always_eager = not os.environ.get("REDIS_URL")
    yield
    app.conf.task_always_eager = saved


@pytest.mark.django_db
def test_healthz_reports_database_and_broker(client, broker_as_configured):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    # With REDIS_URL set (CI, production) the broker must answer; without it tasks run eagerly.
    assert body["broker"] == ("ok" if os.environ.get("REDIS_URL") else "in-process")


@pytest.mark.django_db
def test_healthz_needs_no_sign_in_and_is_never_cached(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]


def test_healthz_refuses_writes(client):
    assert client.post("/healthz").status_code == 405
