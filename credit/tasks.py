"""Celery tasks of the credit app: thin, ids in, a service does the work.

`credit.tasks.rate_chunk(run_id, firm_ids)` rates one chunk of a rating run; it is safe
to run twice (its results are keyed by (run, firm)) and the last chunk to commit
finishes the run after recounting from the database.
"""

from __future__ import annotations

from celery import Task, shared_task
from django.db import InterfaceError, OperationalError

from . import services

# The database went away or gave up the transaction (a deadlock, a serialization failure, a
# restart): worth another try in a few seconds, the chunk being safe to repeat.
TRANSIENT_ERRORS = (OperationalError, InterfaceError)


class RatingChunkTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        """A chunk failed for good (any other error, or a transient one past its retries):
        the run says so and stops; the bureau starts it again."""
        run_id = args[0] if args else kwargs["run_id"]
        services.rating_run_fail(run_id=run_id, error=f"{type(exc).__name__}: {exc}")


@shared_task(
    base=RatingChunkTask,
    name="credit.tasks.rate_chunk",
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
    autoretry_for=TRANSIENT_ERRORS,
    max_retries=3,
    retry_backoff=1,  # up to 1, 2, 4 seconds (with jitter)
)
def rate_chunk(run_id: int, firm_ids: list[int]) -> None:
    services.rating_chunk_rate(run_id=run_id, firm_ids=firm_ids)
