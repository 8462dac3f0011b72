"""`manage.py import_households COMPOUND_CODE PATH`: households of one compound, all or nothing."""

from __future__ import annotations

from functools import partial

from django.core.management.base import CommandError

from companies.models import Compound
from funds.imports import HouseholdImporter
from portal.imports import ImportCommand


class Command(ImportCommand):
    help = (
        "Import the household sub-accounts of a compound (key: building, unit, room) from an "
        ".xlsx or .csv file, all or nothing; initial deposits are posted to the ledger."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("compound_code", help="the compound's code")
        super().add_arguments(parser)

    def handle(self, *args, compound_code: str, **options) -> None:
        compound = Compound.objects.filter(code=compound_code).first()
        if compound is None:
            raise CommandError(f"No compound with code {compound_code!r}.")
        self.importer_class = partial(HouseholdImporter, compound=compound)
        super().handle(*args, **options)
