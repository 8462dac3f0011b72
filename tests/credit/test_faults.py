"""The rating batch survives the faults of issue 11, with real processes: a Celery worker and
beat (`celery -A portal worker|beat`) and `manage.py rate` as subprocesses, a Redis server and
a PostgreSQL database of each test's own. Mid-run:

(a) Redis is SIGKILLed and started again, empty, on the same port;
(b) the database refuses connections for 10 s, every session of it terminated;
(c) the main worker process is SIGKILLed (its pool with it) and a new worker started;
(d) one pool child of the worker is SIGKILLed.

Each run must finish within FAULT_BOUND seconds of the fault with the very ratings and
breakdowns of the demo's clean in-process run of 2023, and `manage.py rate` must exit 0. The
visibility timeout stays at its default (300 s): the reconciler, on the beat every second
here, brings back what was lost long before Redis would.

Runs only with PostgreSQL (DATABASE_URL) and a broker (REDIS_URL), as CI has them; each
test's Redis is its own (redis-server on a spare port), so is its database, copied from a
template the module loads the demo into once.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from datetime import datetime

import pytest
import redis
from django.conf import settings
from django.db import connection, connections

from credit.models import Rating, RatingBreakdown, RatingRun
from tests.faults import (
    PYTHON,
    Database,
    Proc,
    RedisServer,
    base_env,
    create_database,
    database_url,
    drop_database,
    pid_alive,
    refuse_connections,
    unique,
    wait_until,
)

pytestmark = [
    pytest.mark.worker,
    # Not used by the tests themselves: it has pytest-django create the test database, whose
    # migrated copy is the demo's template.
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql" or not os.environ.get("REDIS_URL"),
        reason="the fault tests need PostgreSQL (DATABASE_URL) and a broker (REDIS_URL)",
    ),
    pytest.mark.skipif(not shutil.which("redis-server"), reason="redis-server is not installed"),
]

YEAR = 2023  # the demo's assessed year: 252 firms
FIRMS = 252
FAULT_AT = 40  # firms rated when the fault strikes
FAULT_BOUND = 90  # seconds from the fault to the end of the run
RATE_TIMEOUT = 150  # `manage.py rate --timeout`: longer than the bound, exit 3 would say "hung"
OUTAGE_SECONDS = 10

RUNS = RatingRun._meta.db_table
RATINGS = Rating._meta.db_table
BREAKDOWNS = RatingBreakdown._meta.db_table

LOAD_DEMO = """
import django
django.setup()
from django.conf import settings
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
from portal.demo import load_demo
assert load_demo() is not None, "the template database was not empty"
"""


@pytest.fixture(scope="module")
def demo_template(django_db_setup, django_db_blocker):
    """A database with the demo city, its 2023 rated in process (the clean run), to copy: a
    copy of the migrated test database (no session may use it meanwhile) with the demo loaded
    by a subprocess, once for the module."""
    with django_db_blocker.unblock():
        source = connection.settings_dict["NAME"]
        connections.close_all()
    name = unique("faults_demo")
    create_database(name, template=source)
    try:
        loader = subprocess.run(
            [PYTHON, "-c", LOAD_DEMO],
            env=base_env(DATABASE_URL=database_url(name), REDIS_URL=""),  # rated in process
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert loader.returncode == 0, loader.stdout + loader.stderr
        yield name
    finally:
        drop_database(name)


class City:
    """One test's database (a copy of the demo), Redis, and the processes it starts."""

    def __init__(self, template: str, tmp_path) -> None:
        self.tmp_path = tmp_path
        self.db = Database(unique("faults"))
        create_database(self.db.name, template=template)
        self.redis = RedisServer(tmp_path)
        self.redis.start()
        self.procs: list[Proc] = []
        self.env = base_env(
            DATABASE_URL=self.db.url,
            REDIS_URL=self.redis.url,
            CREDIT_RATING_CHUNK_SIZE="1",  # 252 chunks: the run is long enough to hit
            CREDIT_RUN_STALL_SECONDS="3",
            CREDIT_RECONCILE_EVERY_SECONDS="1",
            CREDIT_CHUNK_RETRY_FLOOR_SECONDS="1",
            CREDIT_CHUNK_RETRY_CAP_SECONDS="2",
            # CELERY_VISIBILITY_TIMEOUT is left at its default, 300 s (base_env drops it).
        )
        (self.clean_run,) = self.db.query(
            f"SELECT id FROM {RUNS} WHERE year = %s AND status = 'finished'",  # noqa: S608
            [YEAR],
        )[0]
        self.workers = self.beats = 0
        self.restarts: list[str] = []

    def start(self, name: str, args: list[str]) -> Proc:
        proc = Proc(name, args, env=self.env, log_dir=self.tmp_path)
        self.procs.append(proc)
        return proc

    def start_worker(self) -> Proc:
        self.workers += 1
        worker = self.start(
            f"worker-{self.workers}",
            [
                PYTHON, "-m", "celery", "-A", "portal", "worker",
                "--pool", "prefork", "--concurrency", "2", "-Q", "celery",
                "-n", f"faults-{self.workers}-{os.getpid()}@%h",
                "--without-gossip", "--without-mingle", "--without-heartbeat",
                "--loglevel", "INFO",
            ],
        )  # fmt: skip
        worker.wait_for_output(" ready.", timeout=60)
        return worker

    def start_beat(self) -> Proc:
        self.beats += 1
        return self.start(
            f"beat-{self.beats}",
            [
                PYTHON, "-m", "celery", "-A", "portal", "beat", "--loglevel", "INFO",
                "-s", str(self.tmp_path / "beat-schedule"),
                "--pidfile", str(self.tmp_path / "beat.pid"),
            ],
        )  # fmt: skip

    def start_rate(self) -> Proc:
        return self.start(
            "rate",
            [PYTHON, "manage.py", "rate", "--year", str(YEAR), "--timeout", str(RATE_TIMEOUT)],
        )

    def supervise(self) -> None:
        """What the deployment's restart policy does (docker-compose.yml: `restart:
        unless-stopped`): a worker or a beat that exited is started again, and noted.

        Needed for (a): Celery 5.7.0 / kombu 5.7.0 may exit on losing Redis ("Unrecoverable
        error: AttributeError: 'NoneType' object has no attribute 'hostname'", raised while
        the lost connection's channel restores its unacknowledged messages)."""
        for kind, start in (("worker", self.start_worker), ("beat", self.start_beat)):
            mine = [p for p in self.procs if p.name.startswith(f"{kind}-")]
            if mine and not any(p.running for p in mine):
                self.restarts.append(f"{mine[-1].name} exited ({mine[-1].popen.returncode})")
                start()

    def logs(self) -> str:
        return "\n".join(proc.tail() for proc in self.procs)

    def fail(self, message: str):
        pytest.fail(f"{message}\n{self.logs()}")

    def run_state(self, run_id: int) -> tuple:
        return self.db.query(
            f"SELECT status, done, total, error, finished_at FROM {RUNS} WHERE id = %s",  # noqa: S608
            [run_id],
        )[0]

    def wait_for_progress(self, firms: int) -> tuple[int, int]:
        """The new run's id once it has rated `firms` firms (and how many it has)."""

        def progressed():
            rows = self.db.query(
                f"SELECT id, status, done FROM {RUNS} WHERE year = %s AND id > %s",  # noqa: S608
                [YEAR, self.clean_run],
            )
            if not rows:
                return None
            ((run_id, status, done),) = rows
            if status not in ("pending", "running"):
                self.fail(f"run {run_id} ended ({status}) before the fault: raise FIRMS")
            return (run_id, done) if done >= firms else None

        try:
            return wait_until(progressed, timeout=90, interval=0.05, what="the run's progress")
        except AssertionError as exc:
            self.fail(str(exc))

    def wait_for_end(self, run_id: int, *, since: float) -> tuple:
        """The run's state once it ended; a failure if it is still active FAULT_BOUND seconds
        after `since` (the wall-clock time of the fault)."""
        deadline = since + FAULT_BOUND
        while time.time() < deadline:
            state = self.run_state(run_id)
            if state[0] not in ("pending", "running"):
                return state
            self.supervise()
            time.sleep(0.2)
        status, done, total, error, _ = self.run_state(run_id)
        self.fail(
            f"run {run_id} is still {status} {FAULT_BOUND} s after the fault "
            f"({done}/{total}; last problem: {error!r})"
        )

    def results(self, run_id: int) -> list[tuple]:
        return self.db.query(
            f"SELECT firm_id, score, grade, indicators_present, vetoed, rank FROM {RATINGS} "  # noqa: S608
            "WHERE run_id = %s ORDER BY firm_id",
            [run_id],
        )

    def breakdowns(self, run_id: int) -> list[tuple]:
        return self.db.query(
            # The JSON text as stored (the column is `json`: the text the chunk wrote).
            f"SELECT r.firm_id, b.document::text FROM {BREAKDOWNS} b "  # noqa: S608
            f"JOIN {RATINGS} r ON r.id = b.rating_id WHERE r.run_id = %s ORDER BY r.firm_id",
            [run_id],
        )

    def close(self) -> None:
        for proc in reversed(self.procs):
            proc.stop()
        self.redis.stop()
        self.db.close()
        drop_database(self.db.name)


@pytest.fixture
def city(demo_template, tmp_path):
    city = City(demo_template, tmp_path)
    try:
        yield city
    finally:
        city.close()


def rate_with_fault(city: City, label: str, fault) -> Proc:
    """Start the worker, the beat and `manage.py rate`; strike with `fault(city)` once FAULT_AT
    firms are rated; the run must finish, as the clean run did, within FAULT_BOUND s."""
    city.start_worker()
    city.start_beat()
    started = time.time()
    rate = city.start_rate()
    run_id, done_at_fault = city.wait_for_progress(FAULT_AT)
    struck = time.time()
    fault(city)
    status, done, total, error, finished_at = city.wait_for_end(run_id, since=struck)
    try:
        code = rate.wait(timeout=30)  # it polls every 0.5 s
    except subprocess.TimeoutExpired:
        city.fail(f"`manage.py rate` did not exit after run {run_id} ended ({status})")

    if status != "finished":
        city.fail(f"run {run_id} ended {status}, not finished: {error!r}")
    assert code == 0, city.logs()
    assert (done, total) == (FIRMS, FIRMS)
    assert done_at_fault < FIRMS, "the fault came after the run"
    assert city.results(run_id) == city.results(city.clean_run)
    assert city.breakdowns(run_id) == city.breakdowns(city.clean_run)
    ended = finished_at.timestamp() if isinstance(finished_at, datetime) else time.time()
    print(
        f"\n[fault {label}] run {run_id}: struck at {done_at_fault}/{FIRMS} firms, "
        f"{struck - started:.1f} s after the start; finished {ended - struck:.1f} s after the "
        f"fault (bound {FAULT_BOUND} s), {ended - started:.1f} s in all; last problem noted: "
        f"{error[:120]!r}; restarted: {', '.join(city.restarts) or 'nothing'}"
    )
    return rate


def queued_chunks(port: int) -> int:
    """The rate_chunk messages waiting in a Redis's default queue."""
    client = redis.Redis(port=port, socket_timeout=5)
    try:
        return sum(b"credit.tasks.rate_chunk" in m for m in client.lrange("celery", 0, -1))
    finally:
        client.close()


def test_redis_killed_and_restarted_empty_mid_run(city):
    def fault(city: City) -> None:
        waiting = queued_chunks(city.redis.port)
        assert waiting > 0, "no chunk was waiting in the queue"
        city.redis.kill()  # SIGKILL: the queued chunks and the unacknowledged ones are lost
        time.sleep(1)
        city.redis.start()
        # Only the reconciler can bring them back, and not before CREDIT_RUN_STALL_SECONDS.
        assert queued_chunks(city.redis.port) == 0
        print(f"\n{waiting} chunks were waiting in Redis when it was killed")

    rate_with_fault(city, "a: Redis SIGKILLed and restarted empty", fault)


def test_database_refusing_connections_for_ten_seconds_mid_run(city):
    def fault(city: City) -> None:
        city.db.close()  # this test's own session would be terminated too
        terminated = refuse_connections(city.db.name, OUTAGE_SECONDS)
        assert terminated >= 1, "no session of the database was terminated"

    rate = rate_with_fault(city, f"b: database refusing connections for {OUTAGE_SECONDS} s", fault)
    assert "the database is back" in rate.output()  # it waited the outage out


def test_main_worker_killed_and_a_new_worker_started_mid_run(city):
    def fault(city: City) -> None:
        worker = next(p for p in city.procs if p.name == "worker-1")
        pool = worker.children()
        assert pool, "the worker has no pool processes"
        worker.kill(signal.SIGKILL)
        worker.wait(timeout=10)
        # Its pool children notice the parent gone and exit; any left (orphans) go as they
        # would with their container or service.
        try:
            wait_until(
                lambda: not any(map(pid_alive, pool)), timeout=5, what="the orphaned pool exit"
            )
            print(f"\nthe {len(pool)} pool processes exited with their parent")
        except AssertionError:
            print(f"\n{sum(map(pid_alive, pool))} orphaned pool processes killed")
            worker.kill_group(signal.SIGKILL)
            wait_until(lambda: not any(map(pid_alive, pool)), timeout=10, what="the pool killed")
        city.start_worker()

    rate_with_fault(city, "c: main worker SIGKILLed, a new one started", fault)


def test_a_pool_child_killed_mid_run(city):
    def fault(city: City) -> None:
        worker = next(p for p in city.procs if p.name == "worker-1")
        pool = wait_until(worker.children, timeout=10, what="the worker's pool processes")
        os.kill(pool[0], signal.SIGKILL)

    rate_with_fault(city, "d: a pool child SIGKILLed", fault)
    worker = next(p for p in city.procs if p.name == "worker-1")
    # The child was most likely rating a chunk (then Celery puts the chunk back in the queue:
    # reject_on_worker_lost); it may have been between two.
    lost = "WorkerLostError" in worker.output()
    print(
        "the killed child was rating a chunk (WorkerLostError logged; the chunk was queued again)"
        if lost
        else "the killed child was between two chunks (no WorkerLostError)"
    )
