"""`manage.py import_proposals PATH`: import proposals from an .xlsx or .csv file."""

from __future__ import annotations

from portal.imports import ImportCommand
from proposals.imports import ProposalImporter


class Command(ImportCommand):
    help = (
        "Import proposals (key: kind + session + number) from an .xlsx or .csv file, "
        "all or nothing."
    )
    importer_class = ProposalImporter
