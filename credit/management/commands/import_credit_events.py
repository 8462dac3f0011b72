"""`manage.py import_credit_events PATH`: import credit events from an .xlsx or .csv file."""

from __future__ import annotations

from credit.imports import CreditEventImporter
from portal.imports import ImportCommand


class Command(ImportCommand):
    help = (
        "Import credit events (key: year, firm_credit_code, kind, date, reason) from an "
        ".xlsx or .csv file, all or nothing."
    )
    importer_class = CreditEventImporter
