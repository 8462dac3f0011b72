"""`manage.py export_ratings --year YEAR --out PATH`: the ratings CSV of interchange.md."""

from __future__ import annotations

import csv
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from credit import selectors


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
        count = 0
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(selectors.EXPORT_COLUMNS)
            for row in selectors.export_rows(run):
                writer.writerow(row)
                count += 1
        self.stdout.write(f"{count} firms of {year} (run #{run.pk}) written to {path}.")
