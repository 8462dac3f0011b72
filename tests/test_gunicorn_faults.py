"""Gunicorn with production settings and persistent connections (DATABASE_CONN_MAX_AGE=60):
when PostgreSQL terminates every session of the database (a restart, a failover, an operator),
the next requests cost a reconnect, not a 500 (`conn_health_checks=True` in the settings).

The control test runs the same cut with the health checks off and must meet 500s: it shows
that the cut does hit the connections the workers hold, so that the first test would catch a
regression.
"""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest
from django.db import connection, connections

from tests.factories import FirmFactory
from tests.faults import (
    PYTHON,
    Proc,
    base_env,
    database_url,
    free_port,
    pg_admin,
    terminate_backends,
    wait_until,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),  # the firms must be committed for gunicorn
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="pg_terminate_backend needs PostgreSQL"
    ),
]

HOST = "portal.example.gov.cn"
FIRM = "东方物业服务有限公司"
PAGE = "/firms/?q=%E4%B8%9C%E6%96%B9"  # the public firm search for 东方: a query per request
REQUESTS = 20

# Production settings but for static files: a checkout has no collectstatic manifest, which
# production's manifest storage would miss on every page. The health checks are the settings'
# own (the control test alone turns them off).
SETTINGS = """
from portal.settings import *  # noqa: F403
from portal.settings import DATABASES, STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
"""
WITHOUT_HEALTH_CHECKS = 'DATABASES["default"]["CONN_HEALTH_CHECKS"] = False\n'


def get(port: int, path: str) -> tuple[int, str]:
    request = urllib.request.Request(  # noqa: S310 — http on the loopback
        f"http://127.0.0.1:{port}{path}",
        # As the TLS-terminating proxy sends them: an allowed host, over HTTPS.
        headers={"Host": HOST, "X-Forwarded-Proto": "https"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(errors="replace")


def gunicorn_sessions(dbname: str) -> int:
    """Sessions of the test database other than this one's (closed): the workers'."""
    with pg_admin() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [dbname],
        )
        return cursor.fetchone()[0]


@pytest.fixture
def gunicorn(tmp_path):
    """Start gunicorn (2 sync workers, production settings, connections kept 60 s) on the
    test database; `start(health_checks=False)` turns the settings' health checks off; returns
    the port."""
    procs: list[Proc] = []

    def start(*, health_checks: bool) -> int:
        text = SETTINGS if health_checks else SETTINGS + WITHOUT_HEALTH_CHECKS
        (tmp_path / "fault_settings.py").write_text(text)
        port = free_port()
        env = base_env(
            DJANGO_SETTINGS_MODULE="fault_settings",
            PYTHONPATH=str(tmp_path),
            DJANGO_ENV="production",
            DJANGO_SECRET_KEY="fault-test-" + "k" * 50,
            DJANGO_ALLOWED_HOSTS=HOST,
            DATABASE_URL=database_url(connection.settings_dict["NAME"]),
            DATABASE_CONN_MAX_AGE="60",
            PORTAL_RATE_LIMITS_ENABLED="false",
        )
        proc = Proc(
            "gunicorn",
            [
                PYTHON, "-m", "gunicorn", "portal.wsgi:application",
                "--bind", f"127.0.0.1:{port}", "--workers", "2", "--timeout", "30",
                "--forwarded-allow-ips", "*", "--access-logfile", "-",
            ],
            env=env,
            log_dir=tmp_path,
        )  # fmt: skip
        procs.append(proc)

        def healthy() -> bool:
            if not proc.running:
                raise AssertionError(f"gunicorn exited\n{proc.tail()}")
            try:
                return get(port, "/healthz")[0] == 200
            except OSError:
                return False

        wait_until(healthy, timeout=60, what=f"gunicorn answering\n{proc.tail()}")
        return port

    yield start
    for proc in procs:
        proc.stop()


def cut_and_request(gunicorn, *, health_checks: bool) -> tuple[list[int], list[int], str]:
    """Statuses of REQUESTS requests before and after every session of the test database is
    terminated, with both workers holding a connection at the cut."""
    FirmFactory(name=FIRM)
    dbname = connection.settings_dict["NAME"]
    connections.close_all()  # from here on the database's sessions are gunicorn's
    port = gunicorn(health_checks=health_checks)

    before = []

    def both_workers_connected() -> bool:
        status, body = get(port, PAGE)
        before.append(status)
        assert status == 200 and FIRM in body, body[:2000]
        return len(before) >= REQUESTS and gunicorn_sessions(dbname) >= 2

    wait_until(both_workers_connected, timeout=60, interval=0, what="both workers connected")

    terminated = terminate_backends(dbname)
    assert terminated >= 2
    after = [get(port, PAGE)[0] for _ in range(REQUESTS)]
    connections.close_all()  # this test's session was terminated too, had it one
    return before, after, f"{terminated} sessions terminated"


def test_terminated_database_sessions_cost_no_500(gunicorn):
    before, after, note = cut_and_request(gunicorn, health_checks=True)

    assert set(before) == {200}
    assert after == [200] * REQUESTS, f"{note}; statuses after the cut: {after}"


def test_without_health_checks_the_same_cut_gives_500s(gunicorn):
    """The control: the cut reaches the workers' connections (so the test above is real)."""
    before, after, note = cut_and_request(gunicorn, health_checks=False)

    assert set(before) == {200}
    print(f"\n{note}; statuses after the cut without health checks: {after}")
    assert 500 in after, f"{note}; statuses after the cut: {after}"
    assert after[-1] == 200  # a worker's broken connection is dropped after its error
