"""Writes of the rating batch: runs, their chunks, the set-based inputs and ratings, ranks."""

from __future__ import annotations

import io
import logging
from collections.abc import Mapping, Sequence
from decimal import Decimal

import orjson
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, InternalError, ProgrammingError, connection, transaction
from django.db.models import Value
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from companies.models import Compound, Firm
from portal.models import User

from .. import rating, selectors
from ..choices import ACTIVE_RUN_STATUSES, EventKind, RunStatus
from ..models import Assessment, CreditEvent, Rating, RatingBreakdown, RatingRun, RuleWeight
from .rule_sets import rule_set_for_year, rules_of

logger = logging.getLogger(__name__)


def chunk_size() -> int:
    return max(1, int(settings.CREDIT_RATING_CHUNK_SIZE))


# --- the rating batch ------------------------------------------------------------------------


def _run_error(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


@transaction.atomic
def rating_run_start(*, user: User | None, year: int, in_process: bool = False) -> RatingRun:
    """Start the rating of every firm assessed in `year`: create the run and, once committed,
    fan out one task per chunk of firms. Refuses a second active run of the year.

    `in_process`: rate every firm here and now, in the caller's transaction, and return the
    finished run; for the demo, whose next steps publish the run before anything commits."""
    if RatingRun.objects.filter(year=year, status__in=ACTIVE_RUN_STATUSES).exists():
        raise _run_error(
            _("A rating run of %(year)s is already in progress; wait until it ends.")
            % {"year": year},
            "run_active",
        )
    firm_ids = list(selectors.firms_assessed(year=year).values_list("pk", flat=True))
    if not firm_ids:
        raise _run_error(
            _("No assessments of %(year)s: there is nothing to rate.") % {"year": year},
            "no_assessments",
        )
    rule_set = rule_set_for_year(user=user, year=year)
    try:
        # The partial unique constraint is the real guard; the check above only words it.
        with transaction.atomic():
            run = RatingRun.objects.create(
                year=year, rule_set=rule_set, started_by=user, total=len(firm_ids)
            )
    except IntegrityError:
        raise _run_error(
            _("A rating run of %(year)s is already in progress; wait until it ends.")
            % {"year": year},
            "run_active",
        ) from None
    if in_process:
        rate_firms(run=run, firm_ids=firm_ids)
        rating_run_finish_if_complete(run_id=run.pk, total=run.total)
        run.refresh_from_db()
        return run
    run_id, size = run.pk, chunk_size()
    transaction.on_commit(lambda: _dispatch_started(run_id=run_id, firm_ids=firm_ids, size=size))
    return run


def rating_run_dispatch(*, run_id: int, firm_ids: Sequence[int], size: int) -> None:
    """Mark the run running and enqueue its chunks (eagerly run them without a broker).
    Raises what the broker raises when it cannot be reached."""
    from ..tasks import rate_chunk

    RatingRun.objects.filter(pk=run_id, status=RunStatus.PENDING).update(status=RunStatus.RUNNING)
    for start in range(0, len(firm_ids), size):
        rate_chunk.delay(run_id, list(firm_ids[start : start + size]))


def _dispatch_started(*, run_id: int, firm_ids: Sequence[int], size: int) -> None:
    """The first dispatch of a new run. Should the broker be down, the run notes it and the
    reconciler queues the firms again; in process (no broker) an error fails the run."""
    from celery import current_app

    try:
        rating_run_dispatch(run_id=run_id, firm_ids=firm_ids, size=size)
    except Exception as exc:
        logger.exception("Enqueueing the chunks of rating run %s failed", run_id)
        if current_app.conf.task_always_eager:
            rating_run_fail(run_id=run_id, error=f"{type(exc).__name__}: {exc}")
        else:
            rating_run_note(run_id=run_id, problem=broker_problem(exc))


def rating_run_note(*, run_id: int, problem: str) -> None:
    """Keep the last problem of an active run where the bureau sees it; the run goes on."""
    RatingRun.objects.filter(pk=run_id, status__in=ACTIVE_RUN_STATUSES).update(error=problem[:4000])


def broker_problem(exc: BaseException) -> str:
    return _("The task queue (Redis) could not be reached: %(error)s") % {
        "error": f"{type(exc).__name__}: {exc}"
    }


def rating_run_fail(*, run_id: int, error: str) -> bool:
    """Mark an active run failed with the error; False if it had ended already."""
    updated = RatingRun.objects.filter(pk=run_id, status__in=ACTIVE_RUN_STATUSES).update(
        status=RunStatus.FAILED, error=error[:4000], finished_at=timezone.now()
    )
    if updated:
        run_cells_drop(run_id=run_id)
    return bool(updated)


def rating_chunk_rate(*, run_id: int, firm_ids: Sequence[int]) -> None:
    """Rate one chunk of a run's firms and finish the run if it was the last. Errors
    propagate: the task (`credit.tasks.rate_chunk`) tries a transient one again and marks
    the run failed on any other."""
    run = RatingRun.objects.select_related("rule_set").get(pk=run_id)
    if not run.is_active:
        return  # a chunk delivered again after the run ended: nothing to do
    cells = run_cells_ensure(run=run) if run_cells_shared(run) else None
    try:
        done = rate_firms(run=run, firm_ids=firm_ids, cells=cells)
    except (ProgrammingError, InternalError):
        # The run ended (and dropped its cells) between the check above and the read: a
        # chunk delivered twice has nothing left to do. Any other such error is a bug.
        if (
            cells
            and not RatingRun.objects.filter(pk=run.pk, status__in=ACTIVE_RUN_STATUSES).exists()
        ):
            return
        raise
    if done >= run.total:  # perhaps the last chunk: recount to be sure, finish once
        rating_run_finish_if_complete(run_id=run.pk, total=run.total)


# --- the run's shared cells (PostgreSQL) -----------------------------------------------------
#
# The cells of every firm of the run (firm, indicator, compound, households, sum of the
# scores in cents, number of scores) are aggregated once per run into CELLS_PARTS unlogged
# tables (part k: the firms whose id is k modulo CELLS_PARTS), each ordered by firm: one
# sequential pass over the year's assessments per part, instead of one index scan per chunk
# over pages scattered over the table (each page read by six or seven chunks). The first
# chunks build them: each builds a part nobody is building yet, then waits for the others, so
# that the workers build side by side. Each chunk then reads its firms' range of every part.
#
# The cells are the run's snapshot of the assessments: a chunk delivered again, or a run
# resumed, rates from the same. They are dropped when the run finishes or fails (the
# reconciler's task sweeps what a lost drop leaves). Unlogged, a table is emptied should
# PostgreSQL crash: its first row, firm 0, marks it whole, and a chunk that misses a mark
# reads the assessments itself (`chunk_inputs`).

CELLS_PREFIX = "credit_run_cells_"
CELLS_LOCK = 0x63726564  # the advisory lock class of part 0's build ("cred"); part k: + k
CELLS_WORK_MEM = "256MB"  # fixed, whatever N: past it PostgreSQL spills the aggregate to disk
CELLS_MARK = 0  # the firm id of the row that marks a table whole (ids start at 1)


def cells_parts() -> int:
    """The parts a run's cells are built in, side by side: as many as the workers; 0: no
    shared cells, every chunk reads the assessments."""
    return max(0, int(getattr(settings, "CREDIT_RATING_CELLS_PARTS", 2)))


def cells_tables(run_id: int) -> list[str]:
    # The number of parts is in the names: workers configured otherwise never mix parts.
    parts = cells_parts()
    return [f"{CELLS_PREFIX}{int(run_id)}_{k}of{parts}" for k in range(parts)]


def run_cells_shared(run: RatingRun) -> bool:
    """Shared cells pay for runs of more than one chunk, on PostgreSQL; SQLite (development,
    tests) and small runs read the assessments per chunk (as every run with
    CREDIT_RATING_CELLS_PARTS = 0)."""
    return connection.vendor == "postgresql" and cells_parts() > 0 and run.total > chunk_size()


_CELLS_COUNT_SQL = (
    "SELECT count(*) FROM pg_class "
    "WHERE relname = ANY(%s) AND relnamespace = current_schema()::regnamespace"
)


def run_cells_ensure(*, run: RatingRun) -> list[str] | None:
    """The names of the run's shared cells tables, built now if they do not all exist: one
    query when they do. None if the run ended meanwhile."""
    names = cells_tables(run.pk)
    with connection.cursor() as cursor:
        cursor.execute(_CELLS_COUNT_SQL, [names])
        if cursor.fetchone()[0] == len(names):
            return names
    # First the parts no one is building (try-lock), then wait for the others: a part whose
    # builder died (its transaction rolled back) is built by whoever waited for it.
    for wait in (False, True):
        for part in range(len(names)):
            if not _cells_part_build(run=run, part=part, name=names[part], wait=wait):
                return None
    return names


def _cells_part_build(*, run: RatingRun, part: int, name: str, wait: bool) -> bool:
    """Build one part under its advisory lock unless it exists; False if the run ended.
    Without `wait`, a part another chunk is building is left to it."""
    qn = connection.ops.quote_name
    statuses = list(ACTIVE_RUN_STATUSES)
    lock = "pg_advisory_xact_lock" if wait else "pg_try_advisory_xact_lock"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SELECT {lock}(%s, %s)", [CELLS_LOCK + part, run.pk])
        if cursor.fetchone()[0] is False:
            return True  # being built by another chunk
        # pg_class is read with this statement's snapshot (not the catalog caches): a table
        # committed by the chunk that held the lock is seen.
        cursor.execute(
            f"SELECT ({_CELLS_COUNT_SQL}), EXISTS (SELECT 1 FROM "  # noqa: S608
            f"{qn(RatingRun._meta.db_table)} WHERE {qn('id')} = %s "
            f"AND {qn('status')} IN ({', '.join(['%s'] * len(statuses))}))",
            [[name], run.pk, *statuses],
        )
        exists, active = cursor.fetchone()
        if not active:
            return False  # the run ended: nothing to share (its cells were dropped)
        if exists:
            return True
        # The workers build side by side: no parallel workers of PostgreSQL's besides.
        cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        cursor.execute(f"SET LOCAL work_mem = '{CELLS_WORK_MEM}'")
        cursor.execute("SET LOCAL jit = on")  # an aggregate of 9,000,000 rows: worth compiling
        # The planner expects 0.5 % of the rows behind the modulo and would sort the part's
        # cells by compound to merge them with the compounds: hash the compounds instead.
        cursor.execute("SET LOCAL enable_mergejoin = off")
        cursor.execute(
            f"""
            CREATE UNLOGGED TABLE {qn(name)} AS
            SELECT a.firm_id, a.indicator_id, a.compound_id, c.{qn("households")} AS households,
                   a.cents, a.n
            FROM (
                SELECT {qn("firm_id")} AS firm_id, {qn("compound_id")} AS compound_id,
                       {qn("indicator_id")} AS indicator_id,
                       SUM(CAST(ROUND({qn("score")} * 100) AS INTEGER)) AS cents, COUNT(*) AS n
                FROM {qn(Assessment._meta.db_table)}
                WHERE {qn("year")} = %s AND {qn("firm_id")} %% %s = %s
                GROUP BY {qn("firm_id")}, {qn("compound_id")}, {qn("indicator_id")}
            ) a
            JOIN {qn(Compound._meta.db_table)} c ON c.{qn("id")} = a.compound_id
            UNION ALL SELECT {CELLS_MARK}, 0, 0, 0, 0, 0
            ORDER BY 1
            """,  # noqa: S608 — identifiers from the models, values are parameters
            [run.year, cells_parts(), part],
        )
        # Rows in firm order: a block-range index finds a chunk's range for a few kB.
        cursor.execute(
            f"CREATE INDEX {qn(name + '_firm')} ON {qn(name)} USING brin (firm_id) "
            "WITH (pages_per_range = 16)"
        )
        cursor.execute(f"ANALYZE {qn(name)}")
    return True


def run_cells_drop(*, run_id: int) -> None:
    """Drop a run's shared cells, if any (PostgreSQL). Called once the run has ended, in a
    transaction of its own: a chunk still reading them (delivered twice) holds them until
    its own transaction ends, and would deadlock with a drop that held the run's row."""
    if connection.vendor != "postgresql":
        return
    _cells_drop_tables(_cells_names(f"{CELLS_PREFIX}{int(run_id)}_"))


def _cells_names(prefix: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relkind = 'r' AND relname LIKE %s "
            "AND relnamespace = current_schema()::regnamespace",
            [prefix.replace("_", "\\_") + "%"],
        )
        return [name for (name,) in cursor.fetchall()]


def _cells_drop_tables(names: Sequence[str]) -> None:
    if names:
        with connection.cursor() as cursor:
            tables = ", ".join(connection.ops.quote_name(name) for name in names)
            cursor.execute(f"DROP TABLE IF EXISTS {tables}")


def run_cells_sweep() -> list[int]:
    """Drop the shared cells of runs that are no longer active (a drop lost to a crash or a
    cut connection); returns their run ids."""
    if connection.vendor != "postgresql":
        return []
    names = _cells_names(CELLS_PREFIX)
    by_run: dict[int, list[str]] = {}
    for name in names:
        run_id = name[len(CELLS_PREFIX) :].split("_", 1)[0]
        if run_id.isdigit():
            by_run.setdefault(int(run_id), []).append(name)
    if not by_run:
        return []
    active = set(
        RatingRun.objects.filter(pk__in=by_run, status__in=ACTIVE_RUN_STATUSES).values_list(
            "pk", flat=True
        )
    )
    ended = sorted(set(by_run) - active)
    _cells_drop_tables([name for run_id in ended for name in by_run[run_id]])
    return ended


def cells_inputs(
    *, cells: Sequence[str], year: int, firm_ids: Sequence[int], indicator_codes: Mapping[int, str]
) -> dict[int, rating.FirmInputs] | None:
    """`chunk_inputs` from the run's shared cells: the same inputs, read in one query as the
    chunk's range of every part (with each part's mark row); None when a mark is missing (a
    table was emptied)."""
    inputs: dict[int, rating.FirmInputs] = {firm_id: rating.FirmInputs() for firm_id in firm_ids}
    if not inputs:
        return inputs
    qn = connection.ops.quote_name
    low, high = min(inputs), max(inputs)
    sql = " UNION ALL ".join(
        "SELECT firm_id, indicator_id, compound_id, households, cents, n "  # noqa: S608
        f"FROM {qn(name)} WHERE firm_id = %s OR firm_id BETWEEN %s AND %s"
        for name in cells
    )
    marks = 0
    with connection.cursor() as cursor:
        cursor.execute(sql, [CELLS_MARK, low, high] * len(cells))
        for firm_id, indicator_id, compound_id, homes, cents, n in cursor.fetchall():
            firm = inputs.get(firm_id)
            if firm is None:
                marks += firm_id == CELLS_MARK
                continue  # a mark, or a firm of the range in another chunk
            indicator = indicator_codes.get(indicator_id)
            if indicator is None:
                continue  # an indicator without a weight in this rule set
            firm.rows.append((indicator, compound_id, homes, cents, n))
        if marks != len(cells):
            return None
        events_into(cursor, inputs=inputs, year=year)
    return inputs


def chunk_inputs(
    *, year: int, firm_ids: Sequence[int], indicator_codes: Mapping[int, str]
) -> dict[int, rating.FirmInputs]:
    """The exact aggregates of a chunk's firms in two queries, whatever the chunk's size:
    compact tuples, sums of integer cents (each score, two decimals at most, is turned into
    its whole number of cents, exact on SQLite's floating point too; integer sums are also
    cheaper for PostgreSQL than numeric ones). Households come from an index alone
    (`compound_households`)."""
    inputs: dict[int, rating.FirmInputs] = {firm_id: rating.FirmInputs() for firm_id in firm_ids}
    if not inputs:
        return inputs
    qn = connection.ops.quote_name
    marks = ", ".join(["%s"] * len(inputs))
    ids = list(inputs)
    # The compounds are looked up by key for the chunk's cells only (the CTE keeps the
    # planner from hashing the whole compound table once per chunk).
    cells_sql = f"""
        WITH a AS MATERIALIZED (
            SELECT {qn("firm_id")} AS firm_id, {qn("compound_id")} AS compound_id,
                   {qn("indicator_id")} AS indicator_id,
                   SUM(CAST(ROUND({qn("score")} * 100) AS INTEGER)) AS cents, COUNT(*) AS n
            FROM {qn(Assessment._meta.db_table)}
            WHERE {qn("year")} = %s AND {qn("firm_id")} IN ({marks})
            GROUP BY {qn("firm_id")}, {qn("compound_id")}, {qn("indicator_id")}
        ), c AS (
            SELECT {qn("id")} AS id, {qn("households")} AS households
            FROM {qn(Compound._meta.db_table)}
            WHERE {qn("id")} IN (SELECT compound_id FROM a)
        )
        SELECT a.firm_id, a.indicator_id, a.compound_id, c.households, a.cents, a.n
        FROM a JOIN c ON c.id = a.compound_id
    """  # noqa: S608 — identifiers from the models, values are parameters
    with connection.cursor() as cursor:
        cursor.execute(cells_sql, [year, *ids])
        for firm_id, indicator_id, compound_id, homes, cents, n in cursor.fetchall():
            indicator = indicator_codes.get(indicator_id)
            if indicator is None:
                continue  # an indicator without a weight in this rule set
            inputs[firm_id].rows.append((indicator, compound_id, homes, cents, n))
        events_into(cursor, inputs=inputs, year=year)
    return inputs


def events_into(cursor, *, inputs: Mapping[int, rating.FirmInputs], year: int) -> None:
    """Add the sums of the credit events of year to `inputs` (by firm id): one query."""
    qn = connection.ops.quote_name
    ids = list(inputs)
    events_sql = f"""
        SELECT {qn("firm_id")}, {qn("kind")},
               CAST(ROUND(SUM({qn("points")}) * 100) AS BIGINT), COUNT(*)
        FROM {qn(CreditEvent._meta.db_table)}
        WHERE {qn("year")} = %s AND {qn("firm_id")} IN ({", ".join(["%s"] * len(ids))})
        GROUP BY {qn("firm_id")}, {qn("kind")}
    """  # noqa: S608
    cursor.execute(events_sql, [year, *ids])
    for firm_id, kind, cents, n in cursor.fetchall():
        firm = inputs[firm_id]
        if kind == EventKind.BONUS:
            firm.bonus = Decimal(cents).scaleb(-2)
        elif kind == EventKind.DEDUCTION:
            firm.deductions = Decimal(cents).scaleb(-2)
        elif kind == EventKind.VETO:
            firm.vetoed = n > 0


def rate_firms(
    *, run: RatingRun, firm_ids: Sequence[int], cells: Sequence[str] | None = None
) -> int:
    """Compute the ratings of `firm_ids` in `run` and replace any the run holds for them, in
    one transaction, with a fixed number of queries whatever the number of firms; add the
    firms rated for the first time to the run's progress and return it (`done`).

    The progress counts in the same transaction as the ratings, so it never misses a firm.
    Without it every chunk would recount the whole run: work growing with the run's size.
    The same chunk delivered twice at the same moment: the second to write meets the first's
    ratings (a unique violation) and starts again, replacing them with the same."""
    try:
        return _rate_firms(run=run, firm_ids=firm_ids, cells=cells)
    except IntegrityError:
        return _rate_firms(run=run, firm_ids=firm_ids, cells=cells)


@transaction.atomic
def _rate_firms(*, run: RatingRun, firm_ids: Sequence[int], cells: Sequence[str] | None) -> int:
    if connection.vendor == "postgresql" and not cells:
        # The chunk's aggregate is hashed in memory: about 20 kB per firm, more than the
        # default work_mem (4 MB), which would spill it to disk.
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL work_mem = '{max(4, 64 * len(firm_ids) // 1000)}MB'")
    weights = list(
        RuleWeight.objects.filter(rule_set_id=run.rule_set_id).values_list(
            "indicator_id", "indicator__code", "indicator__order", "weight"
        )
    )
    rules = rules_of(run.rule_set, [(code, order, weight) for _id, code, order, weight in weights])
    indicator_codes = {indicator_id: code for indicator_id, code, _order, _weight in weights}
    inputs = None
    if cells:
        inputs = cells_inputs(
            cells=cells, year=run.year, firm_ids=firm_ids, indicator_codes=indicator_codes
        )
        if inputs is None:
            logger.warning("Rating run %s: its shared cells are empty, read per chunk", run.pk)
    if inputs is None:
        inputs = chunk_inputs(year=run.year, firm_ids=firm_ids, indicator_codes=indicator_codes)
    ratings, breakdowns = [], []
    for firm_id in sorted(inputs):
        result = rating.rate_firm(inputs[firm_id], rules)
        ratings.append(
            (  # in the order of RATING_COLUMNS
                run.pk,
                firm_id,
                result.score,
                result.grade,
                None,  # rank: assigned when the run finishes
                result.indicators_present,
                result.vetoed,
                rating.base_display(result.base),
                result.bonus_raw,
                result.bonus_capped,
                result.deductions,
                result.not_rated_reason,
            )
        )
        # The JSON text, compact, as the column stores it (orjson: a sixth of json's time).
        breakdowns.append(orjson.dumps(result.breakdown).decode())
    if not ratings:
        return 0
    replaced = _ratings_replace(run_id=run.pk, ratings=ratings, breakdowns=breakdowns)
    qn = connection.ops.quote_name
    statuses = list(ACTIVE_RUN_STATUSES)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {qn(RatingRun._meta.db_table)} SET {qn('done')} = {qn('done')} + %s, "  # noqa: S608
            f"{qn('progressed_at')} = %s, {qn('stalled_rounds')} = 0 "
            f"WHERE {qn('id')} = %s AND {qn('status')} IN ({', '.join(['%s'] * len(statuses))}) "
            f"RETURNING {qn('done')}",
            [len(ratings) - replaced, timezone.now(), run.pk, *statuses],
        )
        progress = cursor.fetchone()
    if progress is None:
        # The run ended (finished and ranked, or failed) while this chunk rated: a chunk
        # delivered twice (a redelivery, a reconciler's re-queue) must not replace the ranked
        # ratings of a finished run with unranked ones. Undo this chunk's writes.
        transaction.set_rollback(True)
        return 0
    return progress[0]


RATING_COLUMNS = (
    "run_id",
    "firm_id",
    "score",
    "grade",
    "rank",
    "indicators_present",
    "vetoed",
    "base",
    "bonus_raw",
    "bonus_capped",
    "deductions",
    "not_rated_reason",
)


def _ratings_replace(*, run_id: int, ratings: list[tuple], breakdowns: list[str]) -> int:
    """Delete the run's ratings of these firms, then insert `ratings` (the database values
    of RATING_COLUMNS) and their `breakdowns` (JSON texts, in the same order); returns the
    number of ratings deleted. Five statements, whatever the number of firms."""
    qn = connection.ops.quote_name
    rating_table = qn(Rating._meta.db_table)
    firm_ids = [row[1] for row in ratings]
    chunk = f"{qn('run_id')} = %s AND {qn('firm_id')} IN ({', '.join(['%s'] * len(firm_ids))})"
    params = [run_id, *firm_ids]
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {qn(RatingBreakdown._meta.db_table)} WHERE {qn('rating_id')} IN "  # noqa: S608
            f"(SELECT {qn('id')} FROM {rating_table} WHERE {chunk})",
            params,
        )
        cursor.execute(f"DELETE FROM {rating_table} WHERE {chunk}", params)  # noqa: S608
        replaced = cursor.rowcount
        insert_rows(cursor, Rating, RATING_COLUMNS, ratings)
        cursor.execute(
            f"SELECT {qn('firm_id')}, {qn('id')} FROM {rating_table} WHERE {chunk}",  # noqa: S608
            params,
        )
        rating_ids = dict(cursor.fetchall())
        insert_rows(
            cursor,
            RatingBreakdown,
            ("rating_id", "document"),
            [
                (rating_ids[firm_id], text)
                for firm_id, text in zip(firm_ids, breakdowns, strict=True)
            ],
        )
    return replaced


# The most parameters one statement may carry: SQLite (3.32+) allows 32766, PostgreSQL 65535.
MAX_PARAMS = 32000


def insert_rows(cursor, model, columns: Sequence[str], rows: list[tuple]) -> None:
    """Insert `rows` (database values of `columns`) into `model`'s table: one COPY on
    PostgreSQL (no SQL to parse, fastest), multi-row INSERTs of at most MAX_PARAMS values
    elsewhere (Django's bulk_create would split them into batches of 999 values on SQLite,
    so that the number of statements grew with the rows). COPY is not counted by Django's
    query log."""
    if not rows:
        return
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    names = ", ".join(qn(column) for column in columns)
    if connection.vendor == "postgresql":
        text = "".join("\t".join(map(_copy_text, row)) + "\n" for row in rows)
        with connection.wrap_database_errors:  # a unique violation as Django's IntegrityError
            cursor.copy_expert(f"COPY {table} ({names}) FROM STDIN", io.StringIO(text))
        return
    row_sql = "(" + ", ".join(["%s"] * len(columns)) + ")"
    per_statement = max(1, MAX_PARAMS // len(columns))
    for start in range(0, len(rows), per_statement):
        batch = rows[start : start + per_statement]
        cursor.execute(
            f"INSERT INTO {table} ({names}) VALUES " + ", ".join([row_sql] * len(batch)),  # noqa: S608
            [value for row in batch for value in row],
        )


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value) -> str:
    """A value in COPY's text format."""
    if value is None:
        return "\\N"
    if value is True or value is False:
        return "t" if value else "f"
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    return str(value)  # numbers: nothing to escape


def rating_run_finish_if_complete(*, run_id: int, total: int) -> bool:
    """Recount the run's ratings from the database (never trust what the chunks said) and,
    when every firm is rated, finish the run exactly once and assign the ranks."""
    rated = Rating.objects.filter(run_id=run_id).count()
    # Progress only grows, whatever order the chunks commit in.
    RatingRun.objects.filter(pk=run_id, status__in=ACTIVE_RUN_STATUSES).update(
        done=Greatest("done", Value(rated))
    )
    if rated < total:
        return False
    with transaction.atomic():
        # The conditional update is the claim: of two chunks finishing at once, one wins.
        won = RatingRun.objects.filter(pk=run_id, status__in=ACTIVE_RUN_STATUSES).update(
            status=RunStatus.FINISHED, finished_at=timezone.now(), done=rated
        )
        if won:
            _assign_ranks(run_id)
            # Finished once ranked (the same transaction: nobody sees it finished unranked).
            RatingRun.objects.filter(pk=run_id).update(finished_at=timezone.now())
    if won:
        run_cells_drop(run_id=run_id)
    return bool(won)


def _assign_ranks(run_id: int) -> None:
    """Rank the rated firms of a run (score descending, then credit code) in one UPDATE."""
    qn = connection.ops.quote_name
    rating_table = qn(Rating._meta.db_table)
    firm_table = qn(Firm._meta.db_table)
    sql = f"""
        UPDATE {rating_table} SET {qn("rank")} = ranked.position
        FROM (
            SELECT r.{qn("id")} AS rating_id,
                   ROW_NUMBER() OVER (
                       ORDER BY r.{qn("score")} DESC, f.{qn("credit_code")} ASC
                   ) AS position
            FROM {rating_table} r JOIN {firm_table} f ON f.{qn("id")} = r.{qn("firm_id")}
            WHERE r.{qn("run_id")} = %s AND r.{qn("score")} IS NOT NULL
        ) AS ranked
        WHERE {rating_table}.{qn("id")} = ranked.rating_id
    """  # noqa: S608 — identifiers from the models, the only value is a parameter
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The run's rows were all just written: without fresh statistics the planner
            # expects a handful and joins the firms row by row; the sort fits in memory.
            cursor.execute(f"ANALYZE {rating_table}")
            cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute(sql, [run_id])
