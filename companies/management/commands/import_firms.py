"""`manage.py import_firms PATH`: import property firms from an .xlsx or .csv file."""

from __future__ import annotations

from companies.imports import FirmImporter
from portal.imports import ImportCommand


class Command(ImportCommand):
    help = "Import property firms (key: credit_code) from an .xlsx or .csv file, all or nothing."
    importer_class = FirmImporter
