"""A rating run is reconciled, not trusted: whatever a broker, a worker or the database
lost, the reconciler brings the run to an end.

A beat task (`credit.tasks.rating_runs_reconcile`, every CREDIT_RECONCILE_EVERY_SECONDS)
and the bureau's "resume" action look at the active runs. A run in which no chunk has rated
a firm for CREDIT_RUN_STALL_SECONDS, and that was not queued again in that time, is
finished if every firm is rated (the last chunk's finish was lost), or has exactly its
unrated firms queued again (safe: a chunk is idempotent), or, after CREDIT_RUN_MAX_ROUNDS
such rounds without progress, is failed with a reason a clerk can read.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import selectors
from ..choices import ACTIVE_RUN_STATUSES
from ..models import Rating, RatingRun
from .batch import (
    broker_problem,
    chunk_size,
    rating_run_dispatch,
    rating_run_fail,
    rating_run_finish_if_complete,
    rating_run_note,
)

logger = logging.getLogger(__name__)


def run_is_stalled(run: RatingRun, *, now) -> bool:
    """No firm rated, and nothing queued again, for longer than a chunk can take."""
    last = max(t for t in (run.started_at, run.progressed_at, run.reconciled_at) if t)
    return now - last > timedelta(seconds=settings.CREDIT_RUN_STALL_SECONDS)


def rating_runs_reconcile(*, now=None) -> dict[int, str]:
    """One round over every active run; returns what was done to each stalled one."""
    now = now or timezone.now()
    done = {}
    for run in RatingRun.objects.filter(status__in=ACTIVE_RUN_STATUSES).order_by("pk"):
        if run_is_stalled(run, now=now):
            done[run.pk] = rating_run_reconcile(run=run, now=now)
    return done


def rating_run_reconcile(*, run: RatingRun, now=None) -> str:
    """One round for one run: "finished", "failed", "queued" (its unrated firms queued
    again) or "busy" (another reconciler took this round)."""
    now = now or timezone.now()
    if rating_run_finish_if_complete(run_id=run.pk, total=run.total):
        return "finished"
    if run.stalled_rounds >= settings.CREDIT_RUN_MAX_ROUNDS:
        rating_run_fail(run_id=run.pk, error=stall_reason(run))
        logger.warning("Rating run %s failed: no progress in %s rounds", run.pk, run.stalled_rounds)
        return "failed"
    # The conditional update claims the round: of two reconcilers, one queues the firms.
    claimed = RatingRun.objects.filter(
        pk=run.pk, status__in=ACTIVE_RUN_STATUSES, stalled_rounds=run.stalled_rounds
    ).update(stalled_rounds=F("stalled_rounds") + 1, reconciled_at=now)
    if not claimed:
        return "busy"
    queued = unrated_firms_queue(run=run)
    logger.warning("Rating run %s made no progress: %s unrated firms queued again", run.pk, queued)
    return "queued"


def rating_run_resume(*, run: RatingRun) -> int:
    """The bureau's (or `rate --resume`'s) resume: queue the unrated firms of an active run
    again now, without waiting for the reconciler; returns how many. Safe while chunks still
    run: a chunk rated twice writes the same rows."""
    if not run.is_active:
        raise ValidationError(_("This run is not in progress."), code="run_not_active")
    if rating_run_finish_if_complete(run_id=run.pk, total=run.total):
        return 0
    RatingRun.objects.filter(pk=run.pk).update(reconciled_at=timezone.now())
    return unrated_firms_queue(run=run)


def unrated_firms_queue(*, run: RatingRun) -> int:
    """Queue again the firms of the run that have no rating in it. A broker that cannot be
    reached is noted on the run (the next round tries again), never raised."""
    rated = Rating.objects.filter(run=run).values("firm_id")
    missing = list(
        selectors.firms_assessed(year=run.year).exclude(pk__in=rated).values_list("pk", flat=True)
    )
    try:
        rating_run_dispatch(run_id=run.pk, firm_ids=missing, size=chunk_size())
    except Exception as exc:  # the broker is down: the next round tries again
        logger.exception("Queueing the unrated firms of rating run %s failed", run.pk)
        rating_run_note(run_id=run.pk, problem=broker_problem(exc))
    return len(missing)


def stall_reason(run: RatingRun) -> str:
    minutes = max(1, round(settings.CREDIT_RUN_STALL_SECONDS * (run.stalled_rounds + 1) / 60))
    reason = _(
        "The rating stopped: no firm was rated for %(minutes)s minutes, although the %(left)s "
        "unrated firms were queued again %(rounds)s times. Start the rating of %(year)s again; "
        "if it stops again, ask the administrator to check the workers, the task queue and "
        "the database."
    ) % {
        "minutes": minutes,
        "left": run.total - run.done,
        "rounds": run.stalled_rounds,
        "year": run.year,
    }
    if run.error:
        reason += " " + _("Last problem: %(problem)s") % {"problem": run.error}
    return reason
