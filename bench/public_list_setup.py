"""Set-up of `bench/public_list.sh`: publish the demo's 2023 rating through the real services.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_web \\
        .venv/bin/python bench/public_list_setup.py

Expects a migrated database with the demo loaded (`manage.py load_demo`, which rates 2023).
Opens the publicity notice of the latest finished 2023 run, moves its period into the past
(as tests/credit/publishing.py and the browser journey do), and publishes version 1. Prints
the version's number, digest and the sizes of its lists.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

YEAR = 2023


def main() -> int:
    import django

    django.setup()

    from credit import publication as services
    from credit import selectors
    from credit.models import Publication
    from portal.models import User

    run = selectors.latest_finished_run(year=YEAR)
    if run is None:
        print(f"No finished rating run of {YEAR}: load the demo first.", file=sys.stderr)
        return 1
    bureau = User.objects.get(username="demo_bureau")
    publication = Publication.objects.filter(year=YEAR).first()
    if publication is None:
        publication = services.publication_create(user=bureau, run=run)
    Publication.objects.filter(pk=publication.pk).update(
        period_start=publication.period_start - dt.timedelta(days=publication.publicity_days + 1)
    )
    publication.refresh_from_db()
    version = services.publication_publish(user=bureau, publication=publication)
    data = json.loads(version.content)
    print(
        f"Published {YEAR} version {version.number} of run {run.pk}: "
        f"{len(data['red_list'])} on the red list, {len(data['black_list'])} on the black list, "
        f"digest {version.digest[:12]}…"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
