"""`manage.py import_assessments PATH`: import assessment scores from an .xlsx or .csv file."""

from __future__ import annotations

from credit.imports import AssessmentImporter
from portal.imports import ImportCommand


class Command(ImportCommand):
    help = (
        "Import assessments (key: year, compound_code, firm_credit_code, indicator, "
        "assessor_role) from an .xlsx or .csv file, all or nothing."
    )
    importer_class = AssessmentImporter
