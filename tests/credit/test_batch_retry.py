"""A chunk meets a transient database error (a real one, raised by PostgreSQL): the task on
a real worker tries again and the run finishes; an error that persists fails the run with
its message. (In process, without a broker, Celery does not retry: the run fails at once.)"""

from __future__ import annotations

import os

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


def test_a_chunk_that_keeps_failing_fails_the_run_with_the_error(
    breakdown_inserts_fail, celery_worker
):
    make_firms(12)
    breakdown_inserts_fail(times=100)

    run = wait_until_ended(services.rating_run_start(user=None, year=YEAR), timeout=60)

    assert run.status == RunStatus.FAILED
    assert "could not serialize access (test)" in run.error
    assert not Rating.objects.filter(run=run).exists()  # each try rolled back whole
