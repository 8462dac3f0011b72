"""`manage.py rate --year YEAR`: run the rating batch, wait for it, print a summary."""

from __future__ import annotations

import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from credit import selectors, services
from credit.choices import RunStatus
from credit.models import RatingRun


class Command(BaseCommand):
    help = "Rate every firm assessed in a year (the Celery batch), wait, print a summary."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument(
            "--timeout", type=int, default=3600, help="seconds to wait for the run (default 3600)"
        )
        parser.add_argument(
            "--resume",
            action="store_true",
            help="re-enqueue the unrated firms of the year's run in progress instead of starting one",
        )

    def handle(self, *args, year: int, timeout: int, resume: bool, **options) -> None:
        try:
            if resume:
                run = RatingRun.objects.filter(
                    year=year, status__in=[RunStatus.PENDING, RunStatus.RUNNING]
                ).first()
                if run is None:
                    raise CommandError(f"No rating run of {year} is in progress.")
                services.rating_run_resume(run=run)
            else:
                run = services.rating_run_start(user=None, year=year)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(f"Rating run #{run.pk} of {year}: {run.total} firms.")
        deadline = time.monotonic() + timeout
        last_done = -1
        while True:
            run.refresh_from_db()
            if run.done != last_done and run.is_active:
                self.stdout.write(f"  {run.done}/{run.total}")
                last_done = run.done
            if not run.is_active:
                break
            if time.monotonic() > deadline:
                raise CommandError(f"Rating run #{run.pk} is still {run.status} after {timeout} s.")
            time.sleep(0.5)
        if run.status == RunStatus.FAILED:
            raise CommandError(f"Rating run #{run.pk} failed: {run.error}")
        summary = selectors.run_summary(run)
        seconds = (run.finished_at - run.started_at).total_seconds()
        grades = ", ".join(f"{grade}: {n}" for grade, n in summary.grades.items())
        self.stdout.write(
            f"Rating run #{run.pk} of {year} finished in {seconds:.1f} s: "
            f"{summary.rated} firms rated, {summary.not_rated} not rated; {grades}; "
            f"{summary.vetoed} vetoed."
        )
