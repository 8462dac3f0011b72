"""`manage.py export_ratings --year YEAR --out PATH`: the ratings CSV of interchange.md."""

from __future__ import annotations

import itertools
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from credit import selectors
from portal.exports import csv_lines


class Command(BaseCommand):
    help = "Write the ratings of the latest finished run of a year as CSV (UTF-8)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--out", required=True, help="the CSV file to write")

    def handle(self, *args, year: int, out: str, **options) -> None:
        run = selectors.latest_finished_run(year=year)
        if run is None:
            raise CommandError(
                f"No finished rating run of {year}: run `manage.py rate --year {year}`."
            )
        path = Path(out)
        rows = list(selectors.export_rows(run))
        with path.open("w", encoding="utf-8", newline="") as handle:
            # Lines end in "\n" as they always have: scripts that read this file split on it.
            handle.writelines(
                csv_lines(itertools.chain([selectors.EXPORT_COLUMNS], rows), lineterminator="\n")
            )
        self.stdout.write(f"{len(rows)} firms of {year} (run #{run.pk}) written to {path}.")
