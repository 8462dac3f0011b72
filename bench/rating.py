"""Benchmark of the credit rating batch on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \\
        .venv/bin/python bench/rating.py --firms 100000 [--chunk-size 1000] [--workers 2]

Generates a deterministic data set of N firms (≈ 6×N compounds with their areas, two or
three assessor roles per compound and indicator: ≈ 90×N assessment rows, some credit
events), loaded with COPY from a generator stream, not the ORM; then runs the batch the way
production does (`services.rating_run_start`, one Celery task per chunk): in process
(eager) with --workers 0, else on W real `celery -A portal worker -c 1` processes through
Redis (REDIS_URL, a spare database number). Prints the batch's wall time, the queries it
issued (in process: total and per chunk), the peak memory, and the floor: the median of 3
runs of one `GROUP BY` over the same assessment table, as PostgreSQL itself times it.

The data set is regenerated only when N or the seed changes (`--regenerate` forces it).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import itertools
import os
import random
import resource
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

YEAR = 2025
SEED = 20251
ROLES = ("street", "community", "owners_committee", "association", "bureau")
DEFAULT_REDIS = "redis://127.0.0.1:6379/13"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--firms", type=int, required=True, help="number of firms N")
    parser.add_argument("--chunk-size", type=int, default=None, help="firms per chunk (task)")
    parser.add_argument(
        "--cells-parts",
        type=int,
        default=None,
        help="parts of the run's shared cells (CREDIT_RATING_CELLS_PARTS); 0: each chunk "
        "reads the assessments itself",
    )
    parser.add_argument(
        "--workers", type=int, default=0, help="Celery worker processes; 0 = in process"
    )
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS))
    parser.add_argument("--regenerate", action="store_true", help="regenerate the data set")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--floor-runs", type=int, default=3)
    parser.add_argument(
        "--digest",
        action="store_true",
        help="print a SHA-256 of every rating and breakdown of the run (compare two versions)",
    )
    parser.add_argument(
        "--pg-setting",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a PostgreSQL setting for the bench database during the batch "
        "(ALTER DATABASE ... SET), e.g. default_toast_compression=lz4",
    )
    parser.add_argument("--generate-only", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args()


def setup_django(args: argparse.Namespace) -> None:
    # Settings read the environment at import: choose eager or Redis before setup().
    if args.workers > 0:
        os.environ["REDIS_URL"] = args.redis_url
    else:
        os.environ.pop("REDIS_URL", None)
    if args.chunk_size:
        os.environ["CREDIT_RATING_CHUNK_SIZE"] = str(args.chunk_size)
    if args.cells_parts is not None:
        os.environ["CREDIT_RATING_CELLS_PARTS"] = str(args.cells_parts)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    # As in production: without DEBUG, Django keeps no log of the queries' SQL; connections
    # are kept between requests and tasks (DATABASE_CONN_MAX_AGE is 60 s in production, 0
    # in development, where a worker would open a new connection for every chunk).
    os.environ.setdefault("DJANGO_DEBUG", "0")
    os.environ.setdefault("DATABASE_CONN_MAX_AGE", "60")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    if args.cells_parts is not None and not hasattr(settings, "CREDIT_RATING_CELLS_PARTS"):
        sys.exit(
            "--cells-parts needs CREDIT_RATING_CELLS_PARTS = "
            'env_int("CREDIT_RATING_CELLS_PARTS", 2) in portal/settings.py'
        )

    if connection.vendor != "postgresql":
        sys.exit("bench/rating.py runs on PostgreSQL: set DATABASE_URL=postgres://...")


# --- the data set ----------------------------------------------------------------------------


class LineStream(io.RawIOBase):
    """A read()-able file over an iterator of text lines, for copy_expert."""

    def __init__(self, lines: Iterable[str]) -> None:
        self._lines = iter(lines)
        self._buffer = b""

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self._buffer) < size:
            block = "".join(itertools.islice(self._lines, 2000))
            if not block:
                break
            self._buffer += block.encode()
        if size < 0:
            size = len(self._buffer)
        data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data


def copy_rows(cursor, model, names: list[str], rows: Iterable[tuple]) -> None:
    """COPY rows of `model` given the values of `names` (column attnames); every other
    concrete column gets its default, `now` for timestamps, or NULL."""
    from django.db import connection

    now = dt.datetime.now(dt.UTC).isoformat()
    extra: list[tuple[str, str]] = []
    for field in model._meta.concrete_fields:
        if field.primary_key or field.attname in names:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            extra.append((field.column, now))
        elif field.has_default():
            value = field.get_db_prep_save(field.get_default(), connection)
            extra.append((field.column, _copy_text(value)))
        elif field.null:
            extra.append((field.column, r"\N"))
        elif field.blank and field.empty_strings_allowed:
            extra.append((field.column, ""))
        else:
            raise RuntimeError(f"{model.__name__}.{field.name} needs a value in the bench")
    columns = [model._meta.get_field(name).column for name in names] + [c for c, _ in extra]
    tail = "".join("\t" + value for _, value in extra) + "\n"

    def lines() -> Iterator[str]:
        for row in rows:
            yield "\t".join(_copy_text(value) for value in row) + tail

    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    table = connection.ops.quote_name(model._meta.db_table)
    cursor.copy_expert(f"COPY {table} ({quoted}) FROM STDIN", LineStream(lines()))


def _copy_text(value) -> str:
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def cents_text(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def generate(n_firms: int, seed: int) -> dict:
    """Empty the bench database's firms, areas and credit data and load a fresh data set."""
    from django.db import connection, transaction

    from companies.models import Compound, Firm
    from companies.validators import credit_code_check_char
    from credit.models import Assessment, CreditEvent
    from credit.services import indicators_ensure
    from portal.models import Community, District, Street

    rng = random.Random(seed)
    indicator_ids = [ind.pk for ind in sorted(indicators_ensure().values(), key=lambda i: i.order)]
    n_streets = max(1, n_firms // 1000)
    # Firm f (0-based) manages 1 to 11 compounds (6 on average); compounds are shuffled so
    # that a chunk's rows are scattered over the table, as years of data entry leave them.
    owner = [f for f in range(n_firms) for _ in range(1 + (f * 7 + f // 11) % 11)]
    rng.shuffle(owner)
    n_compounds = len(owner)
    n_communities = max(1, n_compounds // 50)
    counts = {"firms": n_firms, "compounds": n_compounds, "assessments": 0, "events": 0}

    with transaction.atomic(), connection.cursor() as cursor:
        tables = [
            m._meta.db_table
            for m in (Assessment, CreditEvent, Compound, Firm, Community, Street, District)
        ]
        cursor.execute(
            "TRUNCATE "
            + ", ".join(connection.ops.quote_name(t) for t in tables)
            + " RESTART IDENTITY CASCADE"
        )
        # The rows are consistent by construction: skip the per-row foreign-key triggers.
        cursor.execute("SET LOCAL session_replication_role = replica")
        copy_rows(cursor, District, ["id", "name"], [(1, "基准区")])
        copy_rows(
            cursor,
            Street,
            ["id", "district_id", "name"],
            ((s + 1, 1, f"街道{s + 1}") for s in range(n_streets)),
        )
        copy_rows(
            cursor,
            Community,
            ["id", "street_id", "name"],
            ((c + 1, c % n_streets + 1, f"社区{c + 1}") for c in range(n_communities)),
        )

        def firms() -> Iterator[tuple]:
            for f in range(n_firms):
                body = f"91220200{f + 1:09d}"
                yield (f + 1, body + credit_code_check_char(body), f"基准物业服务有限公司{f + 1}")

        copy_rows(cursor, Firm, ["id", "credit_code", "name"], firms())

        households = [rng.randint(30, 3000) for _ in range(n_compounds)]

        def compounds() -> Iterator[tuple]:
            for c in range(n_compounds):
                yield (
                    c + 1,
                    f"BENCH{c + 1:07d}",
                    f"基准小区{c + 1}",
                    c % n_communities + 1,
                    households[c],
                    "10000.00",
                    owner[c] + 1,
                )

        copy_rows(
            cursor,
            Compound,
            ["id", "code", "name", "community_id", "households", "floor_area", "firm_id"],
            compounds(),
        )

        def assessments() -> Iterator[tuple]:
            rid = 0
            for c in range(n_compounds):
                firm = owner[c]
                # Every 50th firm is assessed on 3 indicators only: not rated.
                indicators = indicator_ids[:3] if firm % 50 == 0 else indicator_ids
                level = 100 * (55 + (firm * 37) % 44)
                for i, indicator_id in enumerate(indicators):
                    n_roles = 2 + (c * 31 + i * 7) % 2
                    start = (c + i) % len(ROLES)
                    for r in range(n_roles):
                        rid += 1
                        # Around the firm's own level, so that every grade occurs.
                        score = min(10000, max(0, level + rng.randint(-1000, 1000)))
                        yield (
                            rid,
                            YEAR,
                            c + 1,
                            firm + 1,
                            indicator_id,
                            ROLES[(start + r) % len(ROLES)],
                            cents_text(score),
                        )
            counts["assessments"] = rid

        copy_rows(
            cursor,
            Assessment,
            ["id", "year", "compound_id", "firm_id", "indicator_id", "assessor_role", "score"],
            assessments(),
        )

        def events() -> Iterator[tuple]:
            eid = 0
            for f in range(n_firms):
                kinds = []
                if f % 10 == 3:
                    kinds.append(("bonus", 150 + (f % 7) * 50))
                if f % 20 == 7:
                    kinds += [("bonus", 300), ("bonus", 250)]
                if f % 15 == 4:
                    kinds.append(("deduction", 100 + (f % 9) * 75))
                if f % 200 == 11:
                    kinds.append(("veto", 0))
                for k, (kind, points) in enumerate(kinds):
                    eid += 1
                    date = dt.date(YEAR, 1 + (f + k) % 12, 1 + f % 28)
                    yield (eid, YEAR, f + 1, kind, cents_text(points), date, f"基准事件{eid}")
            counts["events"] = eid

        copy_rows(
            cursor,
            CreditEvent,
            ["id", "year", "firm_id", "kind", "points", "date", "reason"],
            events(),
        )
        for model in (District, Street, Community, Firm, Compound, Assessment, CreditEvent):
            table = model._meta.db_table
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
                f"(SELECT coalesce(max(id), 1) FROM {connection.ops.quote_name(table)}))",  # noqa: S608
                [table],
            )
    # As autovacuum would leave it: statistics and the visibility map.
    with connection.cursor() as cursor:
        for model in (Assessment, CreditEvent, Compound, Firm):
            cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    return counts


def dataset_marker(n_firms: int, seed: int) -> str:
    return f"bench-rating n={n_firms} seed={seed} v3"


def ensure_dataset(args: argparse.Namespace) -> tuple[dict, float | None]:
    from django.db import connection

    from companies.models import Compound
    from credit.models import Assessment, CreditEvent

    marker = dataset_marker(args.firms, args.seed)
    with connection.cursor() as cursor:
        cursor.execute("SELECT obj_description(%s::regclass, 'pg_class')", ["credit_assessment"])
        current = cursor.fetchone()[0]
    if current == marker and not args.regenerate:
        counts = {
            "firms": args.firms,
            "compounds": Compound.objects.count(),
            "assessments": Assessment.objects.filter(year=YEAR).count(),
            "events": CreditEvent.objects.filter(year=YEAR).count(),
        }
        return counts, None
    # In a child process, so that the generator's memory does not count as the batch's.
    started = time.perf_counter()
    command = [sys.executable, __file__, "--firms", str(args.firms), "--seed", str(args.seed)]
    subprocess.run([*command, "--generate-only"], check=True)
    seconds = time.perf_counter() - started
    counts = {
        "firms": args.firms,
        "compounds": Compound.objects.count(),
        "assessments": Assessment.objects.filter(year=YEAR).count(),
        "events": CreditEvent.objects.filter(year=YEAR).count(),
    }
    return counts, seconds


# --- the batch -------------------------------------------------------------------------------


class QueryCounter:
    """Counts the queries of this process; per Celery task (chunk) as well."""

    def __init__(self) -> None:
        self.total = 0
        self.per_chunk: list[int] = []
        self._at_start = 0

    def __call__(self, execute, sql, params, many, context):
        self.total += 1
        return execute(sql, params, many, context)

    def task_started(self, **_kwargs) -> None:
        self._at_start = self.total

    def task_finished(self, **_kwargs) -> None:
        self.per_chunk.append(self.total - self._at_start)


def reset_runs() -> None:
    from django.db import connection

    from credit.models import Rating, RatingRun

    with connection.cursor() as cursor:
        tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in (Rating, RatingRun))
        cursor.execute(f"TRUNCATE {tables} CASCADE")


def start_workers(args: argparse.Namespace) -> list[subprocess.Popen]:
    import redis

    redis.Redis.from_url(args.redis_url).flushdb()
    env = dict(os.environ, REDIS_URL=args.redis_url)
    (ROOT / "var").mkdir(exist_ok=True)
    workers = []
    for i in range(args.workers):
        workers.append(
            subprocess.Popen(
                [
                    str(ROOT / ".venv" / "bin" / "celery"),
                    "-A",
                    "portal",
                    "worker",
                    "-c",
                    "1",
                    "-n",
                    f"bench{i}@%h",
                    "--without-gossip",
                    "--without-mingle",
                    "--loglevel",
                    os.environ.get("BENCH_WORKER_LOGLEVEL", "WARNING"),
                ],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=open(ROOT / "var" / f"bench-rating-worker{i}.log", "w"),  # noqa: SIM115
            )
        )
    from portal.celery import app

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        replies = app.control.ping(timeout=1.0) or []
        if len(replies) >= args.workers:
            return workers
    stop_workers(workers)
    sys.exit("The Celery workers did not answer within 60 s (see var/bench-rating-worker*.log)")


def children_of(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        text = (task / "children").read_text().split()
        found += [int(child) for child in text]
    return found


def peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux /proc), 0 when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_cpu_seconds() -> tuple[float, float]:
    """(busy, idle) CPU seconds of the whole machine since boot, all cores (/proc/stat)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    tick = os.sysconf("SC_CLK_TCK")
    return (sum(fields) - idle) / tick, idle / tick


def checkpoint_count() -> int:
    """PostgreSQL's checkpoints so far: one during the batch makes its commits wait for the
    disk (the idle time below)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT checkpoints_timed + checkpoints_req FROM pg_stat_bgwriter")
        return cursor.fetchone()[0]


def own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def stop_workers(workers: list[subprocess.Popen]) -> None:
    for worker in workers:
        worker.send_signal(signal.SIGTERM)
    for worker in workers:
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()


def run_batch(args: argparse.Namespace) -> dict:
    from celery.signals import task_postrun, task_prerun
    from django.db import connection
    from django.db.models import Count

    from credit import services
    from credit.choices import RunStatus
    from credit.models import Rating

    reset_runs()
    services.rule_set_for_year(user=None, year=YEAR)  # as it would exist in production
    database = connection.ops.quote_name(connection.settings_dict["NAME"])
    settings = [item.split("=", 1) for item in args.pg_setting]
    with connection.cursor() as cursor:
        for name, value in settings:
            cursor.execute(f"ALTER DATABASE {database} SET {name} = %s", [value])
    connection.close()  # the next connection (and the workers') starts with the settings
    workers = start_workers(args) if args.workers else []
    counter = QueryCounter()
    task_prerun.connect(counter.task_started, weak=False)
    task_postrun.connect(counter.task_finished, weak=False)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend = cursor.fetchone()[0]
        worker_pids = [p for w in workers for p in [w.pid, *children_of(w.pid)]]
        # The workers' start (imports, Django) is not the batch's.
        workers_cpu = sum(cpu_seconds(pid) for pid in worker_pids)
        backend_cpu, python_cpu = cpu_seconds(backend), own_cpu_seconds() + workers_cpu
        machine_busy, machine_idle = machine_cpu_seconds()
        checkpoints = checkpoint_count()
        started = time.perf_counter()
        # Counted: the start, the dispatch and (in process) the chunks; not the polling.
        with connection.execute_wrapper(counter):
            run = services.rating_run_start(user=None, year=YEAR)
        start_seconds = time.perf_counter() - started
        while True:
            run.refresh_from_db()
            if run.status not in (RunStatus.PENDING, RunStatus.RUNNING):
                break
            time.sleep(0.05)
        wall = time.perf_counter() - started
        busy, idle = machine_cpu_seconds()
        machine_busy, machine_idle = busy - machine_busy, idle - machine_idle
        checkpoints = checkpoint_count() - checkpoints
        python_cpu = own_cpu_seconds() + sum(cpu_seconds(pid) for pid in worker_pids) - python_cpu
        backend_cpu = cpu_seconds(backend) - backend_cpu
        worker_peaks = [peak_rss_mib(pid) for pid in worker_pids]
    finally:
        stop_workers(workers)
        with connection.cursor() as cursor:
            for name, _value in settings:
                cursor.execute(f"ALTER DATABASE {database} RESET {name}")
    if run.status != RunStatus.FINISHED:
        sys.exit(f"The run ended {run.status}: {run.error}")
    rated = Rating.objects.filter(run=run)
    return {
        "wall": wall,
        "start_seconds": start_seconds,
        "run_seconds": (run.finished_at - run.started_at).total_seconds(),
        "firms": run.total,
        "ratings": rated.count(),
        "rated": rated.filter(score__isnull=False).count(),
        "grades": dict(rated.values_list("grade").annotate(n=Count("id")).order_by("grade")),
        "chunks": -(-run.total // services.chunk_size()),
        "chunk_size": services.chunk_size(),
        "queries_total": counter.total,
        "queries_per_chunk": counter.per_chunk,
        "rss_before_mib": rss_before,
        "rss_peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "worker_peaks_mib": worker_peaks,
        "python_cpu": python_cpu,
        "machine_busy": machine_busy,
        "checkpoints": checkpoints,
        "machine_idle": machine_idle,
        # The batch's own PostgreSQL backend; only meaningful in process (workers have theirs).
        "backend_cpu": None if workers else backend_cpu,
    }


FLOOR_SQL = (
    "SELECT firm_id, compound_id, indicator_id, sum(score), count(*) "
    "FROM credit_assessment WHERE year = %s GROUP BY 1, 2, 3"
)


def floor(runs: int) -> dict:
    """PostgreSQL's own time for the GROUP BY (EXPLAIN ANALYZE's execution time) and the
    time to run it and fetch every row into this process, medians of `runs`."""
    from django.db import connection, transaction

    server, client = [], []
    with connection.cursor() as cursor:
        # The server's own settings (portal.settings turns JIT off for the pages' queries; the
        # batch turns it on for its one big aggregate): the floor is PostgreSQL at its best.
        cursor.execute("SET jit = on")
        for _ in range(runs):
            cursor.execute("EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) " + FLOOR_SQL, [YEAR])
            plan = cursor.fetchone()[0]
            plan = plan[0] if isinstance(plan, list) else plan
            server.append(plan["Execution Time"] / 1000)
    for _ in range(runs):
        started = time.perf_counter()
        # A named (server-side) cursor streams the rows: no client memory spike.
        with transaction.atomic(), connection.connection.cursor(name="bench_floor") as named:
            named.itersize = 50_000
            named.execute(FLOOR_SQL, [YEAR])
            rows = sum(1 for _ in named)
        client.append(time.perf_counter() - started)
    return {
        "server": statistics.median(server),
        "server_all": server,
        "client": statistics.median(client),
        "groups": rows,
    }


def ratings_digest() -> tuple[str, int]:
    """A SHA-256 over every rating of the (only) run, in firm order, with its breakdown's
    JSON text as stored: two versions of the batch that give the same digest wrote the same
    bytes. Streamed through a server-side cursor: flat in N."""
    import hashlib

    from django.db import connection, transaction

    digest, count = hashlib.sha256(), 0
    sql = """
        SELECT f.credit_code, r.score, r.grade, r.rank, r.indicators_present, r.vetoed,
               r.base, r.bonus_raw, r.bonus_capped, r.deductions, r.not_rated_reason,
               b.document::text
        FROM credit_rating r
        JOIN companies_firm f ON f.id = r.firm_id
        LEFT JOIN credit_ratingbreakdown b ON b.rating_id = r.id
        ORDER BY f.credit_code
    """
    with transaction.atomic(), connection.connection.cursor(name="bench_digest") as named:
        named.itersize = 20_000
        named.execute(sql)
        for row in named:
            digest.update(("\t".join("\\N" if v is None else str(v) for v in row) + "\n").encode())
            count += 1
    return digest.hexdigest(), count


def main() -> None:
    args = parse_args()
    setup_django(args)
    from django.db import connection

    if args.generate_only:
        counts = generate(args.firms, args.seed)
        with connection.cursor() as cursor:
            marker = dataset_marker(args.firms, args.seed)
            cursor.execute(f"COMMENT ON TABLE credit_assessment IS '{marker}'")
        print(f"generated {counts}")
        return

    counts, generated = ensure_dataset(args)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_total_relation_size('credit_assessment')")
        table_bytes = cursor.fetchone()[0]
        cursor.execute("SHOW server_version")
        pg_version = cursor.fetchone()[0]
    load = os.getloadavg()
    batch = run_batch(args)
    load_after = os.getloadavg()
    fl = floor(args.floor_runs)
    per_chunk = batch["queries_per_chunk"]
    print(
        f"PostgreSQL {pg_version}; nproc {os.cpu_count()}; load average {load[0]:.2f} before, "
        f"{load_after[0]:.2f} after the batch"
    )
    print(
        f"data set: {counts['firms']} firms, {counts['compounds']} compounds, "
        f"{counts['assessments']} assessments, {counts['events']} credit events; "
        f"assessment table with indexes {table_bytes / 2**20:.0f} MiB"
        + (f"; generated with COPY in {generated:.1f} s" if generated is not None else "")
    )
    mode = f"{args.workers} Celery workers (Redis)" if args.workers else "in process (eager)"
    if args.pg_setting:
        mode += ", PostgreSQL " + ", ".join(args.pg_setting)
    from credit.services.batch import cells_parts

    cells = f"shared cells in {cells_parts()} parts" if cells_parts() else "no shared cells"
    print(f"batch: {mode}, {batch['chunks']} chunks of {batch['chunk_size']} firms, {cells}")
    print(
        f"  wall time        {batch['wall']:.2f} s  (run started→finished {batch['run_seconds']:.2f} s)"
    )
    print(
        f"  start            {batch['start_seconds']:.2f} s to list the firms, create the run"
        " and enqueue the chunks"
    )
    print(
        f"  ratings          {batch['ratings']} ({batch['rated']} rated) grades {batch['grades']}"
    )
    if per_chunk:
        print(
            f"  queries          {batch['queries_total']} total, per chunk "
            f"{min(per_chunk)}–{max(per_chunk)} over {len(per_chunk)} chunks"
        )
    else:
        print(
            f"  queries          {batch['queries_total']} in this process to start and "
            "dispatch (the chunks' own are counted with --workers 0)"
        )
    print(
        f"  peak memory      {batch['rss_peak_mib']:.0f} MiB max RSS of this process "
        f"({batch['rss_before_mib']:.0f} MiB before the batch)"
    )
    cpu = f"  CPU time         {batch['python_cpu']:.1f} s in Python (this process and workers)"
    if batch["backend_cpu"] is not None:
        cpu += f", {batch['backend_cpu']:.1f} s in its PostgreSQL backend"
    print(cpu)
    print(
        f"                   the whole machine: {batch['machine_busy']:.1f} s busy, "
        f"{batch['machine_idle']:.1f} s idle (all cores, everyone's processes); "
        f"PostgreSQL checkpoints during the batch: {batch['checkpoints']}"
    )
    if batch["worker_peaks_mib"]:
        peaks = ", ".join(f"{p:.0f}" for p in batch["worker_peaks_mib"])
        print(f"                   workers' processes (main, pool child…): {peaks} MiB")
    print(
        f"floor: GROUP BY over {fl['groups']} groups, PostgreSQL execution median "
        f"{fl['server']:.2f} s (runs {', '.join(f'{s:.2f}' for s in fl['server_all'])}); "
        f"with fetching the rows {fl['client']:.2f} s"
    )
    print(f"ratio batch/floor  {batch['wall'] / fl['server']:.2f}")
    if args.digest:
        digest, count = ratings_digest()
        print(f"digest sha256 {digest} over {count} ratings and their breakdowns")


if __name__ == "__main__":
    main()
