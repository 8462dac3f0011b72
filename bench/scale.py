"""Country scale: the pages people use, timed on the demo city and on a country.

    .venv/bin/python bench/scale.py [--firms 100000] [--runs 3] [--regenerate] [--only PATTERN]

Two PostgreSQL databases on 127.0.0.1: `portal_scale_city` (migrate, `load_demo`: 252 firms)
and `portal_scale_country` (the same demo, then N more firms, about 6×N compounds in realistic
areas: 20 compounds per community, 6 communities per street, 10 streets per district; about
90×N assessments of the demo's open year, credit events, a fund account per compound,
emergency applications, a year of hotline complaints and proposals; COPY, as bench/rating.py
loads its set). The demo's own accounts sign in to both, so a street officer's street is the
same street in both: what grows is the rest of the country around it.

Each page is fetched in process through Django's test client (production settings but for
DEBUG's SQL log: DJANGO_DEBUG=0), once to warm up, then --runs times; the script prints per
page the median time at both sizes, their ratio and the query counts, and the machine's load
average before and after. The data sets are kept between runs (made again when N changes or
with --regenerate); drop them with `dropdb portal_scale_city portal_scale_country`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

HOST = "127.0.0.1"
CITY_DB = "portal_scale_city"
COUNTRY_DB = "portal_scale_country"
MARKER_VERSION = "v1"

# Realistic names: a place, a word and a kind (花园, 家园, ...), so that a fragment such as
# 花园 or 物业 matches a large share of the rows, as it does in a real registry.
PLACES = [
    "金山",
    "银河",
    "翠湖",
    "碧水",
    "东城",
    "西城",
    "南湖",
    "北岸",
    "阳光",
    "春天",
    "锦绣",
    "幸福",
    "和平",
    "长安",
    "新华",
    "人民",
    "建设",
    "光明",
    "明珠",
    "海棠",
    "紫荆",
    "桂花",
    "梧桐",
    "枫林",
    "松柏",
    "青年",
    "康乐",
    "福寿",
    "宏远",
    "恒通",
    "华府",
    "御景",
    "龙湾",
    "凤凰",
    "天鹅",
    "星河",
    "云山",
    "月湖",
    "朝阳",
    "晨光",
    "湖畔",
    "江南",
    "江北",
    "滨江",
    "滨海",
    "丽景",
    "雅苑",
    "清华",
    "文苑",
    "书香",
]
KINDS = [
    "花园",
    "家园",
    "小区",
    "苑",
    "公寓",
    "新村",
    "名邸",
    "华庭",
    "雅居",
    "广场",
    "公馆",
    "城",
    "府",
    "湾",
    "里",
]
FIRM_WORDS = [
    "安居",
    "安泰",
    "宜家",
    "德信",
    "诚信",
    "恒信",
    "佳园",
    "家和",
    "万福",
    "祥和",
    "顺达",
    "宏达",
    "锦程",
    "华安",
    "嘉和",
]
ROLES = ("street", "community", "owners_committee", "association", "bureau")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--firms", type=int, default=100_000, help="firms added for the country")
    parser.add_argument("--runs", type=int, default=3, help="timed requests per page and size")
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--only", default="", help="time only pages whose label contains this")
    parser.add_argument("--measure", metavar="DB", help=argparse.SUPPRESS)
    parser.add_argument("--generate", metavar="DB", help=argparse.SUPPRESS)
    return parser.parse_args()


def database_url(db: str) -> str:
    return f"postgres://postgres@{HOST}:5432/{db}"


def child_env(db: str) -> dict:
    env = dict(os.environ)
    env.pop("REDIS_URL", None)  # the demo's rating runs in process
    env.update(
        DATABASE_URL=database_url(db),
        DJANGO_DEBUG="0",
        DJANGO_ALLOWED_HOSTS="testserver,127.0.0.1",
        DATABASE_CONN_MAX_AGE="60",
        PORTAL_RATE_LIMITS_ENABLED="0",
        LOG_LEVEL="ERROR",
    )
    return env


def psql(sql: str, db: str = "postgres") -> str:
    return subprocess.run(  # noqa: S603
        ["psql", "-h", HOST, "-U", "postgres", "-d", db, "-tAq", "-c", sql],  # noqa: S607
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()


# --- the data sets ---------------------------------------------------------------------------


def marker(n_firms: int) -> str:
    return f"bench-scale n={n_firms} {MARKER_VERSION}"


def ensure_database(db: str, n_firms: int, regenerate: bool) -> None:
    exists = psql(f"SELECT 1 FROM pg_database WHERE datname = '{db}'") == "1"
    if exists and not regenerate:
        current = psql("SELECT obj_description('companies_firm'::regclass, 'pg_class')", db)
        if current == marker(n_firms):
            # The code's newer migrations (an index, say), then fresh statistics.
            manage(db, "migrate", "--no-input", "-v", "0")
            psql("ANALYZE", db)
            return
    print(f"== making {db} ({n_firms} firms beside the demo)", flush=True)
    started = time.perf_counter()
    psql(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
    psql(f"CREATE DATABASE {db}")
    manage(db, "migrate", "--no-input", "-v", "0")
    manage(db, "load_demo")
    if n_firms:
        subprocess.run(  # noqa: S603
            [sys.executable, __file__, "--generate", db, "--firms", str(n_firms)],
            env=child_env(db),
            check=True,
        )
    psql(f"COMMENT ON TABLE companies_firm IS '{marker(n_firms)}'", db)
    print(f"   {time.perf_counter() - started:.0f} s", flush=True)


def manage(db: str, *command: str) -> None:
    python = str(ROOT / ".venv" / "bin" / "python")
    subprocess.run(  # noqa: S603
        [python, "manage.py", *command], cwd=ROOT, env=child_env(db), check=True
    )


def generate(n_firms: int) -> None:
    """Add a country around the demo city: ids after the demo's, COPY, then ANALYZE."""
    setup_django()
    from django.db import connection, transaction
    from rating import copy_rows

    from companies.models import Compound, Firm
    from companies.validators import credit_code_check_char
    from complaints.models import Complaint
    from credit.models import Assessment, AssessmentWindow, CreditEvent, Indicator
    from funds.models import EmergencyApplication, FundAccount
    from portal.models import Community, District, Street
    from proposals.models import Proposal

    rng = random.Random(20261129)
    year = AssessmentWindow.objects.order_by("-year").values_list("year", flat=True).first()
    indicator_ids = list(Indicator.objects.order_by("order").values_list("pk", flat=True))

    def next_id(model) -> int:
        return (model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1

    n_compounds = 6 * n_firms
    n_communities = max(1, n_compounds // 20)
    n_streets = max(1, n_communities // 6)
    n_districts = max(1, n_streets // 10)
    d0, s0, c0 = next_id(District), next_id(Street), next_id(Community)
    f0, k0 = next_id(Firm), next_id(Compound)
    # Read before the COPYs: no other statement may run on the connection while one streams.
    r0, v0 = next_id(Assessment), next_id(CreditEvent)
    a0, e0 = next_id(FundAccount), next_id(EmergencyApplication)
    m0, p0 = next_id(Complaint), next_id(Proposal)
    # Firm f manages 1 to 11 compounds (6 on average), scattered over the table.
    owner = [f for f in range(n_firms) for _ in range(1 + (f * 7 + f // 11) % 11)]
    owner = (owner + list(range(n_firms)))[:n_compounds]
    rng.shuffle(owner)
    counts: dict[str, int] = {}

    def place(i: int) -> str:
        return PLACES[i % len(PLACES)] + PLACES[(i // len(PLACES)) % len(PLACES)]

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        copy_rows(
            cursor,
            District,
            ["id", "name"],
            ((d0 + d, f"{place(d)}区{d}") for d in range(n_districts)),
        )
        copy_rows(
            cursor,
            Street,
            ["id", "district_id", "name"],
            ((s0 + s, d0 + s // 10, f"{place(s * 7)}街道{s}") for s in range(n_streets)),
        )
        copy_rows(
            cursor,
            Community,
            ["id", "street_id", "name"],
            ((c0 + c, s0 + c // 6, f"{place(c * 3)}社区{c}") for c in range(n_communities)),
        )

        def firms() -> Iterator[tuple]:
            for f in range(n_firms):
                body = f"91310000{f + 1:09d}"
                word = FIRM_WORDS[f % len(FIRM_WORDS)]
                yield (
                    f0 + f,
                    body + credit_code_check_char(body),
                    f"{place(f * 13)}{word}物业服务有限公司{f}",
                    "张三",
                    f"{place(f)}路{f % 300}号",
                )

        copy_rows(
            cursor, Firm, ["id", "credit_code", "name", "legal_representative", "address"], firms()
        )
        counts["firms"] = n_firms
        households = [rng.randint(30, 3000) for _ in range(n_compounds)]

        def compounds() -> Iterator[tuple]:
            for c in range(n_compounds):
                kind = KINDS[(c * 5) % len(KINDS)]
                yield (
                    k0 + c,
                    f"C{c + 1:08d}",
                    f"{place(c * 11)}{kind}{c}",
                    c0 + c // 20,
                    households[c],
                    f"{households[c] * 90}.00",
                    f0 + owner[c],
                    c % 3 == 0,
                    c % 4 == 0,
                )

        copy_rows(
            cursor,
            Compound,
            [
                "id",
                "code",
                "name",
                "community_id",
                "households",
                "floor_area",
                "firm_id",
                "has_owners_committee",
                "has_party_org",
            ],
            compounds(),
        )
        counts["compounds"] = n_compounds

        def assessments() -> Iterator[tuple]:
            rid = r0 - 1
            for c in range(n_compounds):
                firm = owner[c]
                level = 100 * (55 + (firm * 37) % 44)
                for i, indicator_id in enumerate(indicator_ids):
                    n_roles = 2 + (c * 31 + i * 7) % 2
                    start = (c + i) % len(ROLES)
                    for r in range(n_roles):
                        rid += 1
                        score = min(10000, max(0, level + rng.randint(-1000, 1000)))
                        yield (
                            rid,
                            year,
                            k0 + c,
                            f0 + firm,
                            indicator_id,
                            ROLES[(start + r) % len(ROLES)],
                            f"{score // 100}.{score % 100:02d}",
                        )
                counts["assessments"] = rid - r0 + 1

        copy_rows(
            cursor,
            Assessment,
            ["id", "year", "compound_id", "firm_id", "indicator_id", "assessor_role", "score"],
            assessments(),
        )

        def events() -> Iterator[tuple]:
            eid = v0 - 1
            for f in range(0, n_firms, 4):
                eid += 1
                kind, points = ("bonus", "2.00") if f % 8 else ("deduction", "3.00")
                date = dt.date(year, 1 + f % 12, 1 + f % 28)
                yield (eid, year, f0 + f, kind, points, date, f"基准事件{eid}")

        copy_rows(
            cursor,
            CreditEvent,
            ["id", "year", "firm_id", "kind", "points", "date", "reason"],
            events(),
        )
        copy_rows(
            cursor,
            FundAccount,
            ["id", "compound_id"],
            ((a0 + c, k0 + c) for c in range(n_compounds)),
        )
        copy_rows(
            cursor,
            EmergencyApplication,
            ["id", "scope", "compound_id", "kind", "title", "description", "quote_amount"],
            (
                (
                    e0 + i,
                    "compound",
                    k0 + i * 10,
                    "elevator",
                    f"电梯故障抢修{i}",
                    "电梯停运",
                    "5000.00",
                )
                for i in range(n_compounds // 10)
            ),
        )
        counts["emergencies"] = n_compounds // 10
        start = dt.datetime(year, 1, 1, 8, tzinfo=dt.UTC)
        copy_rows(
            cursor,
            Complaint,
            ["id", "order_number", "received_at", "category", "text", "source", "compound_id"],
            (
                (
                    m0 + i,
                    f"BENCH{i:09d}",
                    start + dt.timedelta(minutes=i * 3 % 525_600),
                    "物业服务",
                    "楼道灯不亮，物业未及时维修",
                    "hotline",
                    k0 + (i * 7) % n_compounds,
                )
                for i in range(n_compounds // 2)
            ),
        )
        counts["complaints"] = n_compounds // 2
        copy_rows(
            cursor,
            Proposal,
            ["id", "kind", "session", "number", "title", "received_on", "full_text"],
            (
                (
                    p0 + i,
                    "cppcc",
                    f"第{i // 500}届",
                    100000 + i,
                    f"关于加强{place(i)}小区物业管理的提案",
                    dt.date(year, 1 + i % 12, 1 + i % 28),
                    "建议加强物业服务监管。",
                )
                for i in range(n_firms // 5)
            ),
        )
        counts["proposals"] = n_firms // 5
        for model in (
            District,
            Street,
            Community,
            Firm,
            Compound,
            Assessment,
            CreditEvent,
            FundAccount,
            EmergencyApplication,
            Complaint,
            Proposal,
        ):
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{model._meta.db_table}', 'id'), "  # noqa: S608
                f"(SELECT max(id) FROM {table}))"
            )
    # COPY ran with the triggers off (session_replication_role): count the kept figures afresh.
    from credit.progress import tallies_rebuild

    tallies_rebuild()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print("   " + ", ".join(f"{k} {v:,}" for k, v in counts.items()), flush=True)


# --- the pages -------------------------------------------------------------------------------


def pages(context: dict) -> list[tuple[str, str | None, str]]:
    """(label, demo username or None for a visitor, address) of every page timed."""
    year = context["year"]
    code = context["credit_code"]
    return [
        ("public search 物业", None, "/firms/?q=物业"),
        ("public search by name", None, f"/firms/?q={context['firm_fragment']}"),
        ("public search by credit code", None, f"/firms/?q={code}"),
        ("public firm page", None, f"/firms/{code}/"),
        ("public red/black list", None, "/credit/redblack/"),
        ("public key supervision", None, "/credit/key-supervision/"),
        ("public fund notices", None, "/funds/notices/"),
        ("public proposal replies", None, "/proposals/replies/"),
        ("public home", None, "/"),
        ("bureau workbench", "demo_bureau", "/dashboard/"),
        ("bureau firms", "demo_bureau", "/registry/firms/"),
        ("bureau firms ?q=物业", "demo_bureau", "/registry/firms/?q=物业"),
        ("bureau firms by name", "demo_bureau", f"/registry/firms/?q={context['firm_fragment']}"),
        ("bureau firms sorted by code", "demo_bureau", "/registry/firms/?sort=-credit_code"),
        ("bureau firms last page", "demo_bureau", "/registry/firms/?page=100000"),
        ("bureau firms in a street", "demo_bureau", f"/registry/firms/?street={context['street']}"),
        ("bureau compounds", "demo_bureau", "/registry/compounds/"),
        ("bureau compounds ?q=花园", "demo_bureau", "/registry/compounds/?q=花园"),
        (
            "bureau compounds by name",
            "demo_bureau",
            f"/registry/compounds/?q={context['compound_fragment']}",
        ),
        ("bureau compounds sorted by name", "demo_bureau", "/registry/compounds/?sort=name"),
        ("bureau compounds last page", "demo_bureau", "/registry/compounds/?page=100000"),
        (
            "bureau compounds in a street",
            "demo_bureau",
            f"/registry/compounds/?street={context['street']}",
        ),
        ("bureau assessment progress", "demo_bureau", f"/credit/assessments/{year}/progress/"),
        ("bureau fund accounts", "demo_bureau", "/funds/accounts/"),
        ("bureau emergency uses", "demo_bureau", "/funds/emergency/"),
        ("bureau proposals", "demo_bureau", "/proposals/"),
        ("bureau complaints", "demo_bureau", "/complaints/"),
        ("bureau credit notices", "demo_bureau", "/credit/notices/"),
        ("bureau rating runs", "demo_bureau", "/credit/runs/"),
        ("street workbench", "demo_street", "/dashboard/"),
        ("street assessment grid", "demo_street", f"/credit/assessments/{year}/"),
        ("street assessment progress", "demo_street", f"/credit/assessments/{year}/progress/"),
        ("street compounds", "demo_street", "/registry/compounds/"),
        ("street firms", "demo_street", "/registry/firms/"),
        ("street emergency uses", "demo_street", "/funds/emergency/"),
        ("street complaints", "demo_street", "/complaints/"),
        ("community workbench", "demo_community", "/dashboard/"),
        ("firm workbench", "demo_firm", "/dashboard/"),
        ("firm fund accounts", "demo_firm", "/funds/accounts/"),
        ("committee workbench", "demo_committee", "/dashboard/"),
        ("association workbench", "demo_association", "/dashboard/"),
    ]


def measure(runs: int, only: str) -> None:
    """Time every page on the database of DATABASE_URL; one JSON object per line."""
    setup_django()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from companies.models import Compound, Firm
    from credit.models import AssessmentWindow
    from portal.models import Street
    from tests.signin import verified_login

    setup_test_environment()
    demo_firm = get_user_model().objects.get(username="demo_firm").firm
    demo_street = get_user_model().objects.get(username="demo_street").street
    compound = Compound.objects.filter(community__street=demo_street).order_by("pk").first()
    context = {
        "year": AssessmentWindow.objects.order_by("-year").values_list("year", flat=True)[0],
        "credit_code": demo_firm.credit_code,
        "firm_fragment": demo_firm.name[:4],
        "compound_fragment": compound.name[:4],
        "street": Street.objects.filter(pk=demo_street.pk).values_list("pk", flat=True)[0],
    }
    sizes = {"firms": Firm.objects.count(), "compounds": Compound.objects.count()}
    print(json.dumps({"sizes": sizes}), flush=True)
    clients: dict[str | None, Client] = {}
    for label, username, url in pages(context):
        if only and only not in label:
            continue
        if username not in clients:
            client = Client()
            if username:
                verified_login(client, get_user_model().objects.get(username=username))
            clients[username] = client
        client = clients[username]
        client.get(url)  # warm-up: caches, the planner's statistics, the page cache
        times = []
        for _ in range(runs):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - started)
        row = {
            "label": label,
            "url": url,
            "status": response.status_code,
            "ms": statistics.median(times) * 1000,
            "queries": len(queries),
        }
        print(json.dumps(row, ensure_ascii=False), flush=True)
        print(f"   {label}: {row['ms']:.0f} ms", file=sys.stderr, flush=True)


def run_measure(db: str, args: argparse.Namespace) -> tuple[dict, dict[str, dict]]:
    command = [sys.executable, __file__, "--measure", db, "--runs", str(args.runs)]
    if args.only:
        command += ["--only", args.only]
    output = subprocess.run(  # noqa: S603
        command, env=child_env(db), check=True, capture_output=True, text=True
    ).stdout
    rows = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    return rows[0]["sizes"], {row["label"]: row for row in rows[1:]}


def main() -> None:
    args = parse_args()
    if args.generate:
        generate(args.firms)
        return
    if args.measure:
        measure(args.runs, args.only)
        return
    ensure_database(CITY_DB, 0, args.regenerate)
    ensure_database(COUNTRY_DB, args.firms, args.regenerate)
    print(f"load average before: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}", flush=True)
    city_sizes, city = run_measure(CITY_DB, args)
    country_sizes, country = run_measure(COUNTRY_DB, args)
    print(f"load average after: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}")
    print(
        f"city: {city_sizes['firms']:,} firms, {city_sizes['compounds']:,} compounds; "
        f"country: {country_sizes['firms']:,} firms, {country_sizes['compounds']:,} compounds; "
        f"median of {args.runs} requests after one to warm up"
    )
    print(f"{'page':<36} {'city ms':>9} {'country ms':>11} {'ratio':>6} {'queries':>9}  status")
    worst = 0.0
    for label, here in city.items():
        there = country[label]
        ratio = there["ms"] / here["ms"]
        worst = max(worst, ratio)
        flag = "" if here["queries"] == there["queries"] else "  <- queries differ"
        print(
            f"{label:<36} {here['ms']:9.1f} {there['ms']:11.1f} {ratio:6.2f} "
            f"{here['queries']:>4}/{there['queries']:<4}  {here['status']}/{there['status']}{flag}"
        )
    print(f"largest ratio: {worst:.2f} (goal: at most 2)")


if __name__ == "__main__":
    main()
