"""`manage.py import_complaints PATH`: import 12345 hotline orders from an .xlsx or .csv file."""

from __future__ import annotations

from complaints.imports import HotlineImporter
from portal.imports import ImportCommand


class Command(ImportCommand):
    help = "Import 12345 hotline orders (key: order number) from an .xlsx or .csv file, all or nothing."
    importer_class = HotlineImporter
