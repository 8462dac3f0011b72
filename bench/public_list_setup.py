"""Set-up of `bench/public_list.sh`: the demo's 2023 list published through the real services,
and the addresses of the public pages the benchmark measures.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_web \\
        .venv/bin/python bench/public_list_setup.py [OUT]

Expects a migrated database with the demo loaded (`manage.py load_demo`, which rates 2023 and,
in its credit steps, publishes it and issues a credit certificate). If 2023 is not published
yet, opens its publicity notice, moves the period into the past (as tests/credit/publishing.py
does) and publishes version 1. Writes to OUT (else prints) shell assignments of the pages:
VERIFY_PATH (the demo's certificate, one is issued if the demo has none) and FIRM_PATH (the
public page of a firm with a listing history: the richest firm page).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shlex
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

YEAR = 2023


def _published(bureau, run):
    from credit import publication as services
    from credit import selectors
    from credit.models import Publication

    versions = [v for v in selectors.published_versions() if v.publication.year == YEAR]
    if versions:
        return versions[0]
    publication = Publication.objects.filter(year=YEAR).first()
    if publication is None:
        publication = services.publication_create(user=bureau, run=run)
    Publication.objects.filter(pk=publication.pk).update(
        period_start=publication.period_start - dt.timedelta(days=publication.publicity_days + 1)
    )
    publication.refresh_from_db()
    return services.publication_publish(user=bureau, publication=publication)


def _certificate(version):
    from django.utils import timezone

    from credit.models import CreditCertificate, Rating
    from credit.services import certificates

    found = CreditCertificate.objects.filter(
        revoked_at__isnull=True, valid_until__gt=timezone.now()
    ).first()
    if found is not None:
        return found
    rating = Rating.objects.filter(run_id=version.run_id, grade="A").select_related("firm").first()
    return certificates.certificate_issue(user=None, firm=rating.firm)


def main() -> int:
    import django

    django.setup()

    from django.urls import reverse

    from credit import selectors
    from credit.models import Rating
    from credit.services.certificates import verify_path
    from portal.models import User

    run = selectors.latest_finished_run(year=YEAR)
    if run is None:
        print(f"No finished rating run of {YEAR}: load the demo first.", file=sys.stderr)
        return 1
    bureau = User.objects.get(username="demo_bureau")
    version = _published(bureau, run)
    data = json.loads(version.content)
    certificate = _certificate(version)
    # A firm of the black list: its page shows its grades and its listings (the most queries).
    black = (
        Rating.objects.filter(run_id=version.run_id, grade="D")
        .select_related("firm")
        .order_by("rank")
        .first()
    )
    firm = black.firm if black else certificate.firm
    print(
        f"Published {YEAR} version {version.number}: {len(data['red_list'])} on the red list, "
        f"{len(data['black_list'])} on the black list, digest {version.digest[:12]}…; "
        f"certificate {certificate.display_code}; firm {firm.credit_code}",
        file=sys.stderr,
    )
    lines = [
        f"YEAR={YEAR}",
        f"VERIFY_PATH={shlex.quote(verify_path(certificate.code))}",
        f"FIRM_PATH={shlex.quote(reverse('companies:public_firm_detail', args=[firm.credit_code]))}",
    ]
    text = "\n".join(lines) + "\n"
    if len(sys.argv) > 1:
        Path(sys.argv[1]).write_text(text, encoding="utf-8")
    else:
        print(text, end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
