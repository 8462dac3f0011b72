"""Celery tasks of the import engine: thin, a job's id in, portal.imports does the work.

Both are safe to run twice: a job is read only while its status says it is being read, and
applied only by the run whose conditional update moves it from queued to importing.
"""

from __future__ import annotations

from celery import shared_task

from . import imports


# A worker lost while reading: the file is read again by the task delivered again.
@shared_task(
    name="portal.tasks.import_plan", acks_late=True, reject_on_worker_lost=True, ignore_result=True
)
def import_plan(job_id: int) -> None:
    imports.import_job_plan(job_id=job_id)


# A task delivered again (a lost worker, or a run longer than the broker's visibility timeout)
# would find its job claimed and do nothing: acknowledged on receipt, not after.
@shared_task(name="portal.tasks.import_apply", acks_late=False, ignore_result=True)
def import_apply(job_id: int) -> None:
    imports.import_job_apply(job_id=job_id)
