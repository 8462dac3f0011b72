"""Real processes for the fault tests: a Redis server of a test's own, PostgreSQL databases
made and dropped by the test, and subprocesses (Celery worker and beat, `manage.py`,
gunicorn) that can be killed and whose output is kept for the failure message.

Every wait here has a deadline: a fault test ends with a failure, never hangs.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from urllib.parse import quote

import psycopg2
import redis
from django.conf import settings

PYTHON = sys.executable
# What the environment of the test run may hold that must not leak into a subprocess: the
# subprocess gets its database, broker and credit settings from the test alone.
_NOT_INHERITED = ("DJANGO_", "CELERY_", "CREDIT_", "DATABASE_", "REDIS_URL", "CACHE_URL")


def base_env(**values: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key == "DJANGO_SETTINGS_MODULE" or not key.startswith(_NOT_INHERITED)
    }
    env["PYTHONUNBUFFERED"] = "1"
    env.update(values)
    return env


def unique(prefix: str) -> str:
    return f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:8]}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(predicate, *, timeout: float, interval: float = 0.2, what: str):
    """Call `predicate` until it returns something true; AssertionError after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout} s")
        time.sleep(interval)


# --- PostgreSQL ------------------------------------------------------------------------------


def pg_params(dbname: str) -> dict:
    db = settings.DATABASES["default"]
    return {
        "host": db.get("HOST") or "127.0.0.1",
        "port": int(db.get("PORT") or 5432),
        "user": db.get("USER") or "postgres",
        "password": db.get("PASSWORD") or None,
        "dbname": dbname,
        "connect_timeout": 3,
    }


def database_url(dbname: str) -> str:
    p = pg_params(dbname)
    auth = quote(p["user"]) + (f":{quote(p['password'])}" if p["password"] else "")
    return f"postgres://{auth}@{p['host']}:{p['port']}/{dbname}"


@contextmanager
def pg_admin() -> Iterator:
    """A cursor on the `postgres` database, autocommit (CREATE/DROP/ALTER DATABASE)."""
    conn = psycopg2.connect(**pg_params("postgres"))
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute("SET statement_timeout = '60s'")
            yield cursor
    finally:
        conn.close()


def create_database(name: str, *, template: str, timeout: float = 20) -> None:
    """CREATE DATABASE from a template, which must have no other session: tried again while
    one lingers (a connection of this process being closed, say)."""

    def attempt() -> bool:
        try:
            with pg_admin() as cursor:
                cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
            return True
        except psycopg2.errors.ObjectInUse:
            return False

    wait_until(attempt, timeout=timeout, interval=0.5, what=f"copy database {template}")


def drop_database(name: str) -> None:
    with pg_admin() as cursor:
        cursor.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def terminate_backends(name: str) -> int:
    """Terminate every session of database `name` (but this one); returns how many."""
    with pg_admin() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            [name],
        )
        return cursor.fetchone()[0]


def refuse_connections(name: str, seconds: float) -> int:
    """The database refuses connections for `seconds`, every session of it terminated at the
    start; returns how many sessions were terminated. Connections are allowed again even if
    something fails in between."""
    with pg_admin() as cursor:
        cursor.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        try:
            cursor.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                [name],
            )
            terminated = cursor.fetchone()[0]
            time.sleep(seconds)
        finally:
            cursor.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
    return terminated


class Database:
    """Queries of the test on a database of its own: plain SQL, a connection made again after
    the database dropped it (within `patience` seconds)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.url = database_url(name)
        self._conn = None

    def query(self, sql: str, params=(), *, patience: float = 30) -> list[tuple]:
        deadline = time.monotonic() + patience
        while True:
            try:
                if self._conn is None or self._conn.closed:
                    self._conn = psycopg2.connect(**pg_params(self.name))
                    self._conn.autocommit = True
                with self._conn.cursor() as cursor:
                    cursor.execute(sql, params)
                    return cursor.fetchall()
            except (psycopg2.OperationalError, psycopg2.InterfaceError):
                self.close()
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)

    def close(self) -> None:
        if self._conn is not None:
            with suppress(Exception):
                self._conn.close()
            self._conn = None


# --- processes -------------------------------------------------------------------------------


class Proc:
    """A subprocess in a session (a process group) of its own, its output in a log file."""

    def __init__(self, name: str, args: list[str], *, env: dict, log_dir: Path, cwd=None):
        self.name = name
        self.log_path = log_dir / f"{name}.log"
        self._log = open(self.log_path, "ab")  # noqa: SIM115 — closed in stop()
        self.popen = subprocess.Popen(
            args,
            env=env,
            cwd=cwd or settings.BASE_DIR,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.pid = self.popen.pid

    @property
    def running(self) -> bool:
        return self.popen.poll() is None

    def kill(self, sig: int = signal.SIGKILL) -> None:
        with suppress(ProcessLookupError):
            os.kill(self.pid, sig)

    def kill_group(self, sig: int = signal.SIGKILL) -> None:
        with suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, sig)

    def wait(self, timeout: float) -> int:
        return self.popen.wait(timeout=timeout)

    def stop(self) -> None:
        """Kill the process and whatever it started (same group); the log is closed."""
        self.kill_group(signal.SIGKILL)
        with suppress(subprocess.TimeoutExpired):
            self.popen.wait(timeout=10)
        self._log.close()

    def output(self) -> str:
        with suppress(OSError):
            return self.log_path.read_text(errors="replace")
        return ""

    def tail(self, lines: int = 30) -> str:
        text = self.output().splitlines()[-lines:]
        return f"--- {self.name} (pid {self.pid}), last {len(text)} lines:\n" + "\n".join(text)

    def wait_for_output(self, text: str, *, timeout: float) -> None:
        def seen() -> bool:
            if text in self.output():
                return True
            if not self.running:
                raise AssertionError(f"{self.name} exited ({self.popen.returncode})\n{self.tail()}")
            return False

        wait_until(seen, timeout=timeout, what=f"{self.name} printing {text!r}\n{self.tail()}")

    def children(self) -> list[int]:
        return children_of(self.pid)


def children_of(pid: int) -> list[int]:
    """The live child processes of `pid`, from /proc (no psutil)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may hold spaces and parentheses; split after it.
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(entry.name))
    return sorted(found)


def pid_alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


class RedisServer:
    """A redis-server of the test's own on a spare port: no persistence, so that a restart
    comes back empty, as a broker that lost its memory would."""

    def __init__(self, log_dir: Path) -> None:
        self.port = free_port()
        self.log_dir = log_dir
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc: Proc | None = None
        self.starts = 0

    def start(self) -> None:
        self.starts += 1
        args = [
            "redis-server",
            "--port", str(self.port),
            "--bind", "127.0.0.1",
            "--save", "",
            "--appendonly", "no",
            "--dir", str(self.log_dir),
        ]  # fmt: skip
        self.proc = Proc(f"redis-{self.starts}", args, env=base_env(), log_dir=self.log_dir)
        client = redis.Redis(port=self.port, socket_connect_timeout=1, socket_timeout=1)

        def answers() -> bool:
            try:
                return bool(client.ping())
            except redis.RedisError:
                if not self.proc.running:
                    raise AssertionError(f"redis-server exited\n{self.proc.tail()}") from None
                return False

        try:
            wait_until(answers, timeout=15, interval=0.1, what=f"redis on port {self.port}")
        finally:
            client.close()

    def kill(self) -> None:
        """SIGKILL: no shutdown, no save."""
        assert self.proc is not None
        self.proc.kill(signal.SIGKILL)
        self.proc.wait(timeout=10)
        self.proc.stop()

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.stop()
