"""`manage.py rate --year YEAR`: run the rating batch, wait for it, print a summary.

Exit codes: 0 the run finished, 2 it failed (the reason is printed), 3 it is still running
when `--timeout` ran out (the reconciler goes on with it; `--resume` waits again), 1 it could
not start. A database that goes away while the command waits is waited for too.
"""

from __future__ import annotations

import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import InterfaceError, OperationalError, connection

from credit import selectors, services
from credit.choices import ACTIVE_RUN_STATUSES, RunStatus
from credit.models import RatingRun

FINISHED, FAILED, STILL_RUNNING = 0, 2, 3


class Command(BaseCommand):
    help = (
        "Rate every firm assessed in a year (the Celery batch), wait, print a summary. "
        "Exits 0 finished, 2 failed, 3 still running at the timeout."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument(
            "--timeout", type=int, default=3600, help="seconds to wait for the run (default 3600)"
        )
        parser.add_argument(
            "--resume",
            action="store_true",
            help="queue again the unrated firms of the year's run in progress, then wait for it",
        )

    def handle(self, *args, year: int, timeout: int, resume: bool, **options) -> None:
        try:
            if resume:
                run = RatingRun.objects.filter(year=year, status__in=ACTIVE_RUN_STATUSES).first()
                if run is None:
                    raise CommandError(f"No rating run of {year} is in progress.")
                services.rating_run_resume(run=run)
            else:
                run = services.rating_run_start(user=None, year=year)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(f"Rating run #{run.pk} of {year}: {run.total} firms.")
        run = self.wait(run, timeout)
        if run.is_active:
            raise CommandError(
                f"Rating run #{run.pk} of {year} is still {run.status} after {timeout} s "
                f"({run.done}/{run.total} firms rated); it goes on without this command. "
                f"Wait for it with: manage.py rate --year {year} --resume",
                returncode=STILL_RUNNING,
            )
        if run.status == RunStatus.FAILED:
            raise CommandError(f"Rating run #{run.pk} failed: {run.error}", returncode=FAILED)
        summary = selectors.run_summary(run)
        seconds = (run.finished_at - run.started_at).total_seconds()
        grades = ", ".join(f"{grade}: {n}" for grade, n in summary.grades.items())
        self.stdout.write(
            f"Rating run #{run.pk} of {year} finished in {seconds:.1f} s: "
            f"{summary.rated} firms rated, {summary.not_rated} not rated; {grades}; "
            f"{summary.vetoed} vetoed."
        )

    def wait(self, run: RatingRun, timeout: float) -> RatingRun:
        """Poll the run until it ends or `timeout` passes, printing its progress; a database
        error while polling is reported once and waited out."""
        deadline = time.monotonic() + timeout
        last_done, unreachable = -1, False
        while time.monotonic() <= deadline:
            try:
                run.refresh_from_db()
            except (OperationalError, InterfaceError) as exc:
                if not unreachable:
                    self.stderr.write(f"  the database cannot be reached ({exc}); waiting")
                unreachable = True
                connection.close()
                time.sleep(1)
                continue
            if unreachable:
                self.stderr.write("  the database is back")
                unreachable = False
            if not run.is_active:
                return run
            if run.done != last_done:
                self.stdout.write(f"  {run.done}/{run.total}")
                last_done = run.done
            time.sleep(0.5)
        return run
