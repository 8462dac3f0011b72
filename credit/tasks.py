"""Celery tasks of the credit app: thin, ids in, a service does the work.

`credit.tasks.rate_chunk(run_id, firm_ids)` rates one chunk of a rating run; it is safe
to run twice (its results are keyed by (run, firm)) and the last chunk to commit
finishes the run after recounting from the database. `rating_runs_reconcile`, on the beat,
brings every run to an end whatever was lost (credit.services.reconcile).
"""

from __future__ import annotations

import logging
import random

from celery import Task, current_app, shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import RedisError

from . import services

logger = logging.getLogger(__name__)

# The database went away or gave up the transaction (a deadlock, a serialization failure, a
# restart): worth another try, the chunk being safe to repeat.
TRANSIENT_ERRORS = (OperationalError, InterfaceError)
# What an outage raises: past the retries the run is not failed for it; the reconciler
# queues the chunk's firms again once the outage is over.
OUTAGE_ERRORS = (*TRANSIENT_ERRORS, BrokerError, RedisError)


def retry_countdown(retries: int) -> float:
    """Seconds before the next try of a chunk that met a transient error: doubling from a
    floor, capped, and up to a quarter more at random so that chunks that failed together
    do not come back together. Never 0: the defaults wait 2, 4, 8, 16, 30, 30 s (about 90 s
    in all), longer than a database restart."""
    base = min(
        settings.CREDIT_CHUNK_RETRY_CAP_SECONDS,
        settings.CREDIT_CHUNK_RETRY_FLOOR_SECONDS * 2**retries,
    )
    return base * (1 + random.random() / 4)  # noqa: S311 — spreading retries, not a secret


class RatingChunkTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        """A chunk failed for good. An outage past its retries is noted on the run and left
        to the reconciler; any other error fails the run with it. Should the database be
        out of reach for the note too, the reconciler still decides: nothing is lost."""
        run_id = args[0] if args else kwargs["run_id"]
        try:
            if isinstance(exc, OUTAGE_ERRORS) and not current_app.conf.task_always_eager:
                problem = _("A chunk of %(firms)s firms could not be rated: %(error)s") % {
                    "firms": len(args[1] if len(args) > 1 else kwargs.get("firm_ids", ())),
                    "error": f"{type(exc).__name__}: {exc}",
                }
                services.rating_run_note(run_id=run_id, problem=problem)
            else:
                services.rating_run_fail(run_id=run_id, error=f"{type(exc).__name__}: {exc}")
        except OUTAGE_ERRORS:
            logger.exception(
                "Rating run %s: the failure of a chunk is left to the reconciler", run_id
            )


@shared_task(
    base=RatingChunkTask,
    bind=True,
    name="credit.tasks.rate_chunk",
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
)
def rate_chunk(self, run_id: int, firm_ids: list[int]) -> None:
    try:
        services.rating_chunk_rate(run_id=run_id, firm_ids=firm_ids)
    except TRANSIENT_ERRORS as exc:
        if self.request.is_eager:
            raise  # in process there is no one to try again later: the run fails now
        raise self.retry(
            exc=exc,
            countdown=retry_countdown(self.request.retries),
            max_retries=settings.CREDIT_CHUNK_RETRIES,
        ) from exc


@shared_task(name="credit.tasks.rating_runs_reconcile", ignore_result=True)
def rating_runs_reconcile() -> None:
    services.run_cells_sweep()  # the shared cells of runs that ended without dropping them
    services.rating_runs_reconcile()
