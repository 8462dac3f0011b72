"""Writes of the rating batch: runs, their chunks, the set-based inputs and ratings, ranks."""

from __future__ import annotations

import io
import logging
from collections.abc import Mapping, Sequence
from decimal import Decimal

import orjson
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
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
    return bool(updated)


def rating_chunk_rate(*, run_id: int, firm_ids: Sequence[int]) -> None:
    """Rate one chunk of a run's firms and finish the run if it was the last. Errors
    propagate: the task (`credit.tasks.rate_chunk`) tries a transient one again and marks
    the run failed on any other."""
    run = RatingRun.objects.select_related("rule_set").get(pk=run_id)
    if not run.is_active:
        return  # a chunk delivered again after the run ended: nothing to do
    done = rate_firms(run=run, firm_ids=firm_ids)
    if done >= run.total:  # perhaps the last chunk: recount to be sure, finish once
        rating_run_finish_if_complete(run_id=run.pk, total=run.total)


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
    events_sql = f"""
        SELECT {qn("firm_id")}, {qn("kind")},
               CAST(ROUND(SUM({qn("points")}) * 100) AS BIGINT), COUNT(*)
        FROM {qn(CreditEvent._meta.db_table)}
        WHERE {qn("year")} = %s AND {qn("firm_id")} IN ({marks})
        GROUP BY {qn("firm_id")}, {qn("kind")}
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(cells_sql, [year, *ids])
        for firm_id, indicator_id, compound_id, homes, cents, n in cursor.fetchall():
            indicator = indicator_codes.get(indicator_id)
            if indicator is None:
                continue  # an indicator without a weight in this rule set
            inputs[firm_id].rows.append((indicator, compound_id, homes, cents, n))
        cursor.execute(events_sql, [year, *ids])
        for firm_id, kind, cents, n in cursor.fetchall():
            firm = inputs[firm_id]
            if kind == EventKind.BONUS:
                firm.bonus = Decimal(cents).scaleb(-2)
            elif kind == EventKind.DEDUCTION:
                firm.deductions = Decimal(cents).scaleb(-2)
            elif kind == EventKind.VETO:
                firm.vetoed = n > 0
    return inputs


def rate_firms(*, run: RatingRun, firm_ids: Sequence[int]) -> int:
    """Compute the ratings of `firm_ids` in `run` and replace any the run holds for them, in
    one transaction, with a fixed number of queries whatever the number of firms; add the
    firms rated for the first time to the run's progress and return it (`done`).

    The progress counts in the same transaction as the ratings, so it never misses a firm.
    Without it every chunk would recount the whole run: work growing with the run's size.
    The same chunk delivered twice at the same moment: the second to write meets the first's
    ratings (a unique violation) and starts again, replacing them with the same."""
    try:
        return _rate_firms(run=run, firm_ids=firm_ids)
    except IntegrityError:
        return _rate_firms(run=run, firm_ids=firm_ids)


@transaction.atomic
def _rate_firms(*, run: RatingRun, firm_ids: Sequence[int]) -> int:
    if connection.vendor == "postgresql":
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
