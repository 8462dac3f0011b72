"""`manage.py import_compounds PATH`: import compounds from an .xlsx or .csv file."""

from __future__ import annotations

from companies.imports import CompoundImporter
from portal.imports import ImportCommand


class Command(ImportCommand):
    help = "Import compounds (key: code) from an .xlsx or .csv file, all or nothing."
    importer_class = CompoundImporter
