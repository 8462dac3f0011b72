"""The demo year rated by real Celery workers through Redis, on the real database.

Runs only with REDIS_URL set (CI sets it, with PostgreSQL). The chunks go through the broker
to a worker thread; the run must end with the same ratings as the same batch run in-process.
"""

from __future__ import annotations

import os
import time

import pytest

from credit import services
from credit.choices import RunStatus
from credit.models import Rating, RatingRun
from portal.celery import app
from portal.demo import load_demo

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set: no broker"),
]


def wait_until_ended(run: RatingRun, timeout: float = 120) -> RatingRun:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if not run.is_active:
            return run
        time.sleep(0.2)
    pytest.fail(f"rating run {run.pk} did not end within {timeout} s ({run.done}/{run.total})")


def results(run: RatingRun) -> list[tuple]:
    return list(
        Rating.objects.filter(run=run)
        .order_by("firm_id")
        .values_list("firm_id", "score", "grade", "indicators_present", "vetoed", "rank")
    )


@pytest.mark.django_db(transaction=True)
def test_the_demo_year_is_rated_by_a_real_worker_as_in_process(celery_worker, settings):
    settings.CREDIT_RATING_CHUNK_SIZE = 50  # several chunks, so several tasks cross the broker
    load_demo()  # rates 2023 in this process: the demo publishes that run
    in_process = RatingRun.objects.get(year=2023)
    assert in_process.status == RunStatus.FINISHED

    on_worker = services.rating_run_start(user=None, year=2023)  # the chunks go to the worker
    assert not app.conf.task_always_eager
    on_worker = wait_until_ended(on_worker)

    assert on_worker.pk != in_process.pk
    assert on_worker.status == RunStatus.FINISHED, on_worker.error
    assert on_worker.total == on_worker.done == 252
    assert Rating.objects.filter(run=on_worker, grade__isnull=False).count() == 252
    assert results(on_worker) == results(in_process)
