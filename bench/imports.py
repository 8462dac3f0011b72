"""Benchmark of the registry's imports and exports at country scale, on PostgreSQL.

    createdb -h 127.0.0.1 -U postgres portal_bench_imports
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_imports
    .venv/bin/python manage.py migrate
    .venv/bin/python bench/imports.py --firms 100000 --compounds 600000 --runs 3
    .venv/bin/python bench/imports.py --firms 10000 --compounds 60000 --runs 3  # smaller

Generates deterministic files (CSV and xlsx) of N firms and M compounds under
var/bench-imports/, then, per run and format: empties the registry, imports the firms, then
the compounds, then the compounds again (every row unchanged), each through the real
engine the way the Celery tasks run it (`import_job_plan`, then `import_job_apply`, in a
child process so that its peak RSS is the import's own); copies the same CSV rows into a
scratch table with PostgreSQL's COPY (typed columns, the key unique) for the ratio; and
exports the firm and compound registers as the list pages do (`?_export=xlsx`, read to the
end). Every figure is printed with the load average before and after it.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "var" / "bench-imports"
SEED = 20261129
FIRM_HEADER = ["credit_code", "name", "legal_representative", "phone", "address"]
COMPOUND_HEADER = [
    "code",
    "name",
    "district",
    "street",
    "community",
    "households",
    "floor_area",
    "firm_credit_code",
    "owners_committee",
    "party_org",
    "red_heart_year",
]
# The country's files are far above a city's upload limits: the bench lifts them.
LIMITS = {
    "IMPORT_MAX_ROWS": "2000000",
    "IMPORT_MAX_BYTES": str(2 * 1024**3),
    "IMPORT_MAX_UNCOMPRESSED_BYTES": str(8 * 1024**3),
    "IMPORT_MAX_PART_BYTES": str(2 * 1024**3),
    "DJANGO_DEBUG": "0",
}


def load() -> str:
    return "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def setup_django() -> None:
    os.environ.update(LIMITS)
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("bench/imports.py runs on PostgreSQL: set DATABASE_URL=postgres://...")


# --- the files ---------------------------------------------------------------------------------


def credit_code(n: int) -> str:
    from companies.validators import credit_code_check_char

    body = f"91110000{n:09d}"
    return body + credit_code_check_char(body)


def firm_rows(n: int):
    rng = random.Random(SEED)
    for f in range(1, n + 1):
        yield [
            credit_code(f),
            f"全国物业服务有限公司{f}",
            f"法人{rng.randint(1, 99999)}",
            f"010-{rng.randint(10000000, 99999999)}",
            f"某省某市某区某路{f}号",
        ]


def compound_rows(m: int, n_firms: int):
    rng = random.Random(SEED + 1)
    n_communities = max(1, m // 50)
    for c in range(1, m + 1):
        community = c % n_communities
        street = community // 10
        district = street // 10
        firm = "" if c % 20 == 0 else credit_code(1 + rng.randrange(n_firms))  # 5 % self-managed
        yield [
            f"C{c:08d}",
            f"全国小区{c}",
            f"区县{district}",
            f"街道{street}",
            f"社区{community}",
            str(rng.randint(30, 3000)),
            f"{rng.randint(1000, 300000)}.{rng.randint(0, 99):02d}",
            firm,
            "是" if c % 3 == 0 else "否",
            "1" if c % 4 == 0 else "0",
            str(2018 + c % 7) if c % 25 == 0 else "",
        ]


def write_files(n_firms: int, n_compounds: int) -> dict[str, Path]:
    """The four files, written once per size (deterministic: same sizes, same bytes)."""
    from openpyxl import Workbook

    OUT.mkdir(parents=True, exist_ok=True)
    files = {}
    for kind, header, rows, count in (
        ("firms", FIRM_HEADER, lambda: firm_rows(n_firms), n_firms),
        ("compounds", COMPOUND_HEADER, lambda: compound_rows(n_compounds, n_firms), n_compounds),
    ):
        stem = OUT / f"{kind}-{count}"
        path = stem.with_suffix(".csv")
        if not path.exists():
            with path.open("w", encoding="utf-8", newline="") as out:
                writer = csv.writer(out)
                writer.writerow(header)
                writer.writerows(rows())
        files[f"{kind}.csv"] = path
        path = stem.with_suffix(".xlsx")
        if not path.exists():
            workbook = Workbook(write_only=True)
            sheet = workbook.create_sheet(kind)
            sheet.append(header)
            for row in rows():
                sheet.append(row)
            workbook.save(path)
        files[f"{kind}.xlsx"] = path
    return files


# --- children: one measured operation each -----------------------------------------------------


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_import(kind: str, path: Path) -> dict:
    """Plan and apply one file as the Celery tasks do, counting the queries."""
    from django.db import connection

    from companies.imports import CompoundImporter, FirmImporter
    from portal import imports
    from portal.models import ImportJob, User

    importer = {"firms": FirmImporter, "compounds": CompoundImporter}[kind](
        user=User.objects.get(username="bench")
    )
    job_kind, params = imports.importer_kind(importer)
    job = ImportJob.objects.create(
        kind=job_kind, params=params, user=importer.user, name=path.name, ext=path.suffix[1:]
    )
    stored = imports._stored_file(job)
    stored.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(path, stored)
    queries = [0]

    def count(execute, sql, params, many, context):
        queries[0] += 1
        return execute(sql, params, many, context)

    rss_start = peak_mib()
    with connection.execute_wrapper(count):
        started = time.perf_counter()
        imports.import_job_plan(job_id=job.pk)
        planned = time.perf_counter()
        job.refresh_from_db()
        plan_queries = queries[0]
        if job.status != ImportJob.Status.READY:
            return {"error": job.status, "errors": job.errors[:5]}
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.QUEUED)
        imports.import_job_apply(job_id=job.pk)
        applied = time.perf_counter()
    job.refresh_from_db()
    if job.status != ImportJob.Status.DONE:
        return {"error": job.status, "errors": job.errors[:5]}
    return {
        "rows": job.to_create + job.to_update + job.unchanged,
        "created": job.to_create,
        "updated": job.to_update,
        "unchanged": job.unchanged,
        "plan_s": planned - started,
        "apply_s": applied - planned,
        "wall_s": applied - started,
        "plan_bytes": len(job.plan),
        "queries": queries[0],
        "plan_queries": plan_queries,
        "rss_start_mib": rss_start,
        "peak_mib": peak_mib(),
    }


def child_export(name: str) -> dict:
    """The list view's export, called as a request would call it once signed in (the
    middleware, two-factor sign-in among it, is left out), read to its last byte."""
    from django.db import connection
    from django.test import RequestFactory
    from django.urls import resolve, reverse

    from portal.models import User

    url = reverse(name)
    request = RequestFactory().get(url, {"_export": "xlsx"})
    request.user = User.objects.get(username="bench")
    request.session = {}
    view = resolve(url).func
    queries = [0]

    def count(execute, sql, params, many, context):
        queries[0] += 1
        return execute(sql, params, many, context)

    rss_start = peak_mib()
    with connection.execute_wrapper(count):
        started = time.perf_counter()
        response = view(request)
        first = time.perf_counter()
        size = sum(len(block) for block in response.streaming_content)
        done = time.perf_counter()
    return {
        "status": response.status_code,
        "streaming": response.streaming,
        "bytes": size,
        "first_byte_s": first - started,
        "wall_s": done - started,
        "queries": queries[0],
        "rss_start_mib": rss_start,
        "peak_mib": peak_mib(),
    }


def child_copy(kind: str, path: Path) -> dict:
    """COPY the same CSV rows into a scratch table of the same types, the key unique."""
    from django.db import connection

    columns = {
        "firms": "credit_code varchar(18) UNIQUE NOT NULL, name varchar(120) NOT NULL, "
        "legal_representative varchar(60), phone varchar(30), address varchar(200)",
        "compounds": "code varchar(40) UNIQUE NOT NULL, name varchar(120) NOT NULL, "
        "district varchar(60), street varchar(60), community varchar(60), households integer, "
        "floor_area numeric(12, 2), firm_credit_code varchar(18), owners_committee text, "
        "party_org text, red_heart_year integer",
    }[kind]
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_copy_scratch")
        cursor.execute(f"CREATE TABLE bench_copy_scratch ({columns})")
        connection.commit() if not connection.get_autocommit() else None
        started = time.perf_counter()
        with path.open("rb") as stream:
            cursor.copy_expert(
                "COPY bench_copy_scratch FROM STDIN WITH (FORMAT csv, HEADER true)", stream
            )
        elapsed = time.perf_counter() - started
        cursor.execute("SELECT count(*) FROM bench_copy_scratch")
        rows = cursor.fetchone()[0]
        cursor.execute("DROP TABLE bench_copy_scratch")
    return {"rows": rows, "wall_s": elapsed}


def child_reset() -> dict:
    """Empty the registry and its history; make the user the imports are recorded under."""
    from django.db import connection

    from companies.models import Compound, Firm, Management
    from portal.models import Community, District, ImportJob, Street, User

    models = [Management, Compound, Firm, Community, Street, District]
    tables = [m._meta.db_table for m in models]
    tables += [m.history.model._meta.db_table for m in models if hasattr(m, "history")]
    tables.append(ImportJob._meta.db_table)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(quote(t) for t in tables)} RESTART IDENTITY CASCADE")
        cursor.execute("VACUUM ANALYZE")
    if not User.objects.filter(username="bench").exists():
        User.objects.create_user(username="bench", role="bureau")  # never signs in
    return {}


def run_child(*args: str) -> dict:
    command = [sys.executable, __file__, "--child", *args]
    before = load()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"{' '.join(args)} failed:\n{done.stderr[-4000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["load_before"], result["load_after"] = before, load()
    return result


# --- the run -----------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--firms", type=int, default=100_000)
    parser.add_argument("--compounds", type=int, default=600_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--formats", default="csv,xlsx")
    parser.add_argument("--no-reimport", action="store_true", help="skip the unchanged re-import")
    parser.add_argument("--firms-only", action="store_true", help="import and copy the firms only")
    parser.add_argument("--no-export", action="store_true", help="skip the exports")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    setup_django()
    if args.child:
        op, *rest = args.child
        result = {
            "import": lambda: child_import(rest[0], Path(rest[1])),
            "copy": lambda: child_copy(rest[0], Path(rest[1])),
            "export": lambda: child_export(rest[0]),
            "reset": child_reset,
        }[op]()
        print(json.dumps(result))
        return

    print(f"machine: {os.cpu_count()} CPU, load {load()}; generating files ...", flush=True)
    started = time.perf_counter()
    files = write_files(args.firms, max(args.compounds, 1))
    print(f"files ready in {time.perf_counter() - started:.1f} s:")
    for name, path in files.items():
        print(f"  {name}: {path} ({path.stat().st_size / 1024**2:.1f} MiB)")

    figures: dict[str, list[dict]] = {}

    def record(label: str, result: dict) -> None:
        figures.setdefault(label, []).append(result)
        shown = {k: round(v, 2) if isinstance(v, float) else v for k, v in result.items()}
        if "rows" in result and "wall_s" in result and result["wall_s"]:
            shown["rows_per_s"] = round(result["rows"] / result["wall_s"])
        print(f"  {label}: {json.dumps(shown, ensure_ascii=False)}", flush=True)

    for run in range(1, args.runs + 1):
        print(f"run {run}:", flush=True)
        for fmt in args.formats.split(","):
            run_child("reset")
            record(f"import firms {fmt}", run_child("import", "firms", str(files[f"firms.{fmt}"])))
            if args.firms_only:
                continue
            record(
                f"import compounds {fmt}",
                run_child("import", "compounds", str(files[f"compounds.{fmt}"])),
            )
            if not args.no_reimport:
                record(
                    f"re-import compounds {fmt} (unchanged)",
                    run_child("import", "compounds", str(files[f"compounds.{fmt}"])),
                )
        record("COPY firms", run_child("copy", "firms", str(files["firms.csv"])))
        if not args.firms_only:
            record("COPY compounds", run_child("copy", "compounds", str(files["compounds.csv"])))
        if not args.no_export:
            record("export firms xlsx", run_child("export", "companies:firm_list"))
            if not args.firms_only:
                record("export compounds xlsx", run_child("export", "companies:compound_list"))

    print("\nmedians:")
    medians = {
        label: {
            key: statistics.median(r[key] for r in results)
            for key in ("wall_s", "peak_mib")
            if key in results[0]
        }
        for label, results in figures.items()
    }
    for label, values in medians.items():
        print(f"  {label}: {json.dumps({k: round(v, 2) for k, v in values.items()})}")
    for kind in ("firms",) if args.firms_only else ("firms", "compounds"):
        copy = medians[f"COPY {kind}"]["wall_s"]
        for fmt in args.formats.split(","):
            wall = medians[f"import {kind} {fmt}"]["wall_s"]
            print(f"  ratio import {kind} {fmt} / COPY: {wall / copy:.1f}")


if __name__ == "__main__":
    main()
