"""Celery tasks of the credit app: thin, ids in, a service does the work.

`credit.tasks.rate_chunk(run_id, firm_ids)` rates one chunk of a rating run; it is safe
to run twice (its results are keyed by (run, firm)) and the last chunk to commit
finishes the run after recounting from the database.
"""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(
    name="credit.tasks.rate_chunk", acks_late=True, reject_on_worker_lost=True, ignore_result=True
)
def rate_chunk(run_id: int, firm_ids: list[int]) -> None:
    services.rating_chunk_rate(run_id=run_id, firm_ids=firm_ids)
