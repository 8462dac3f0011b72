"""The shared cells of a rating run (PostgreSQL, runs of more than one chunk): the same
ratings as each chunk reading the assessments itself, a fixed number of queries per chunk,
tables dropped when the run ends, and an emptied table (a crash) never trusted."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings

from companies.models import Firm
from credit import services
from credit.choices import RunStatus
from credit.services import batch

from .helpers import event, rate
from .test_batch import YEAR, make_firms, new_run, snapshot
from .test_property import check, data

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the shared cells are PostgreSQL's; SQLite reads"
)


def cells_tables() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relkind = 'r' "
            "AND relname LIKE 'credit\\_run\\_cells\\_%%' ORDER BY relname"
        )
        return [name for (name,) in cursor.fetchall()]


def test_shared_cells_give_the_ratings_of_the_plain_read(
    db, settings, django_capture_on_commit_callbacks
):
    firm_ids = make_firms(30)
    event(YEAR, Firm.objects.get(pk=firm_ids[3]), "bonus", 3)
    event(YEAR, Firm.objects.get(pk=firm_ids[4]), "veto")
    plain = rate(YEAR, django_capture_on_commit_callbacks)
    assert not batch.run_cells_shared(plain)

    settings.CREDIT_RATING_CHUNK_SIZE = 7  # five chunks: the cells are shared
    shared = rate(YEAR, django_capture_on_commit_callbacks)

    assert batch.run_cells_shared(shared)
    assert (shared.status, shared.done) == (RunStatus.FINISHED, 30)
    assert snapshot(shared) == snapshot(plain)
    assert cells_tables() == []  # dropped once the run finished


def test_a_shared_chunk_makes_the_same_number_of_queries_for_10_and_200_firms(db, settings):
    settings.CREDIT_RATING_CHUNK_SIZE = 210
    firm_ids = make_firms(400)
    run = new_run(total=400)
    services.rating_chunk_rate(run_id=run.pk, firm_ids=firm_ids[:5])  # builds the cells
    assert len(cells_tables()) == batch.cells_parts()
    with CaptureQueriesContext(connection) as small:
        services.rating_chunk_rate(run_id=run.pk, firm_ids=firm_ids[5:15])
    with CaptureQueriesContext(connection) as large:
        services.rating_chunk_rate(run_id=run.pk, firm_ids=firm_ids[15:215])
    # As the plain read's 13 on PostgreSQL: one query more to find the cells, one less (the
    # chunk's work_mem: nothing to hash).
    assert len(small.captured_queries) == len(large.captured_queries) == 13
    run.refresh_from_db()
    assert (run.status, run.done) == (RunStatus.RUNNING, 215)


def test_the_cells_are_dropped_when_the_run_fails_and_swept_when_a_drop_was_lost(db, settings):
    settings.CREDIT_RATING_CHUNK_SIZE = 5
    firm_ids = make_firms(20)
    failed = new_run(total=20)
    services.rating_chunk_rate(run_id=failed.pk, firm_ids=firm_ids[:5])
    assert len(cells_tables()) == batch.cells_parts()

    assert services.rating_run_fail(run_id=failed.pk, error="worker exploded")
    assert cells_tables() == []

    # The drop after a run ended was lost (a cut connection): the sweep takes the tables.
    lost = new_run(total=20)
    services.rating_chunk_rate(run_id=lost.pk, firm_ids=firm_ids[:5])
    lost.__class__.objects.filter(pk=lost.pk).update(status=RunStatus.FAILED)
    assert services.run_cells_sweep() == [lost.pk]
    assert cells_tables() == []


def test_emptied_cells_are_not_trusted_the_chunk_reads_the_assessments(
    db, settings, django_capture_on_commit_callbacks
):
    firm_ids = make_firms(12)
    plain = rate(YEAR, django_capture_on_commit_callbacks)
    settings.CREDIT_RATING_CHUNK_SIZE = 4
    run = new_run(total=12)
    services.rating_chunk_rate(run_id=run.pk, firm_ids=firm_ids[:4])
    # What a crash of PostgreSQL leaves of an unlogged table: nothing.
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {connection.ops.quote_name(batch.cells_tables(run.pk)[0])}")
    services.rating_chunk_rate(run_id=run.pk, firm_ids=firm_ids[4:8])
    services.rating_chunk_rate(run_id=run.pk, firm_ids=firm_ids[8:])
    run.refresh_from_db()
    assert (run.status, run.done) == (RunStatus.FINISHED, 12)
    assert snapshot(run) == snapshot(plain)


@hypothesis_settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(example=data)
def test_the_shared_cells_agree_with_a_plain_reading_of_the_rules(db, example):
    # Chunks of one firm: every run of two firms or more shares its cells.
    with override_settings(CREDIT_RATING_CHUNK_SIZE=1), transaction.atomic():
        check(example)
        transaction.set_rollback(True)
