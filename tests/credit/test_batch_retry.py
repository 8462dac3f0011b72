"""A chunk meets a transient database error (a real one, raised by PostgreSQL): the task on
a real worker tries again and the run finishes; an error that persists is noted on the run,
and the reconciler fails the run with it after its rounds. (In process, without a broker,
there is no one to try again: the run fails at once.)"""

from __future__ import annotations

import os
import time

import pytest
from django.db import connection

from credit import services
from credit.choices import RunStatus
from credit.models import Rating

from .test_batch import YEAR, make_firms
from .test_worker_rating import wait_until_ended

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql" or not os.environ.get("REDIS_URL"),
        reason="a PostgreSQL trigger raises the failure; the retries need a broker",
    ),
]


@pytest.fixture
def breakdown_inserts_fail():
    """The first `times` breakdown inserts fail as a serialization failure would (a sequence
    counts them: it is not rolled back with the failed transaction)."""

    def arrange(times: int) -> None:
        with connection.cursor() as cursor:
            cursor.execute("CREATE SEQUENCE test_breakdown_failures")
            cursor.execute(
                f"""
                CREATE FUNCTION test_breakdown_failure() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF nextval('test_breakdown_failures') <= {times} THEN
                        RAISE EXCEPTION 'could not serialize access (test)'
                            USING ERRCODE = 'serialization_failure';
                    END IF;
                    RETURN NULL;
                END $$
                """
            )
            cursor.execute(
                "CREATE TRIGGER test_breakdown_failure BEFORE INSERT ON credit_ratingbreakdown "
                "FOR EACH STATEMENT EXECUTE FUNCTION test_breakdown_failure()"
            )

    yield arrange
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER IF EXISTS test_breakdown_failure ON credit_ratingbreakdown")
        cursor.execute("DROP FUNCTION IF EXISTS test_breakdown_failure()")
        cursor.execute("DROP SEQUENCE IF EXISTS test_breakdown_failures")


def test_a_chunk_that_meets_a_serialization_failure_is_tried_again_and_the_run_finishes(
    breakdown_inserts_fail, celery_worker
):
    make_firms(12)
    breakdown_inserts_fail(times=1)

    run = wait_until_ended(services.rating_run_start(user=None, year=YEAR), timeout=60)

    assert (run.status, run.done, run.error) == (RunStatus.FINISHED, 12, "")
    assert Rating.objects.filter(run=run, breakdown__isnull=False).count() == 12


def test_a_chunk_that_keeps_failing_is_left_to_the_reconciler_which_fails_the_run_with_it(
    breakdown_inserts_fail, celery_worker, settings
):
    settings.CREDIT_CHUNK_RETRIES = 2
    settings.CREDIT_CHUNK_RETRY_FLOOR_SECONDS = settings.CREDIT_CHUNK_RETRY_CAP_SECONDS = 1
    settings.CREDIT_RUN_STALL_SECONDS = settings.CREDIT_RUN_MAX_ROUNDS = 1
    make_firms(12)
    breakdown_inserts_fail(times=10_000)
    run = services.rating_run_start(user=None, year=YEAR)

    # Past its retries the chunk notes the error on the run, which goes on: an outage is
    # for the reconciler to judge, not for one chunk.
    deadline = time.monotonic() + 30
    while "could not serialize access (test)" not in run.error and time.monotonic() < deadline:
        time.sleep(0.2)
        run.refresh_from_db()
    assert run.status == RunStatus.RUNNING, run.error
    # The reconciler (the beat's task, called here) queues the firms again once, then gives up.
    deadline = time.monotonic() + 30
    while run.is_active and time.monotonic() < deadline:
        services.rating_runs_reconcile()
        time.sleep(0.5)
        run.refresh_from_db()

    assert run.status == RunStatus.FAILED
    assert "评价中断" in run.error
    assert "could not serialize access (test)" in run.error  # the last problem, kept
    assert not Rating.objects.filter(run=run).exists()  # each try rolled back whole
